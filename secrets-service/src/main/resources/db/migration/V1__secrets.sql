-- secrets-service schema. Values are stored only as envelopes (common-crypto format 1): a value
-- encrypted under a fresh data key, that key wrapped by a key-service KEK. Nothing here opens a value.
-- Listing pages by (environment, name) with keyset cursors, so every access path below has an index
-- that starts with its equality column and continues with (environment, name).

CREATE TABLE secret (
    id                     BINARY(16)    NOT NULL COMMENT 'UUIDv7',
    environment            VARCHAR(64)   NOT NULL,
    name                   VARCHAR(255)  NOT NULL,
    type                   VARCHAR(32)   NOT NULL,
    description            VARCHAR(1024) NULL,
    tags                   TEXT          NULL COMMENT 'JSON object of tag key to value, as shown; secret_tag indexes it',
    owner                  VARCHAR(300)  NOT NULL COMMENT 'Principal with every permission, e.g. user:alice',
    created_by             VARCHAR(300)  NOT NULL,
    created_at             DATETIME(6)   NOT NULL,
    updated_at             DATETIME(6)   NOT NULL,
    expires_at             DATETIME(6)   NULL COMMENT 'After it the value is not served (410)',
    deleted_at             DATETIME(6)   NULL COMMENT 'Soft delete: hidden until restored',
    deleted_by             VARCHAR(300)  NULL,
    current_version        INT           NOT NULL,
    max_versions           INT           NOT NULL COMMENT 'Versions kept; older ones are deleted with their ciphertext',
    rotation_interval_days INT           NULL,
    rotation_generator     VARCHAR(2048) NULL COMMENT 'JSON generator spec (never a value)',
    rotation_due_at        DATETIME(6)   NULL COMMENT 'When the next scheduled rotation is due; moves on success only',
    rotation_attempt_at    DATETIME(6)   NULL COMMENT 'When a scheduler may next take it (claim lease and retry backoff)',
    rotation_failures      INT           NOT NULL DEFAULT 0 COMMENT 'Scheduled rotations failed in a row',
    last_rotated_at        DATETIME(6)   NULL,
    PRIMARY KEY (id),
    UNIQUE KEY ux_secret_environment_name (environment, name),
    KEY ix_secret_owner (owner, environment, name),
    KEY ix_secret_rotation_attempt (rotation_attempt_at),
    KEY ix_secret_rotation_due (rotation_due_at),
    KEY ix_secret_expires (expires_at),
    KEY ix_secret_type (type, environment, name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE secret_version (
    secret_id        BINARY(16)   NOT NULL,
    version          INT          NOT NULL,
    ciphertext       MEDIUMBLOB   NULL COMMENT 'Envelope bound to secret id, version and environment; NULL once destroyed',
    kek_name         VARCHAR(64)  NULL,
    kek_version      INT          NULL,
    origin           VARCHAR(16)  NOT NULL COMMENT 'create, write, rotate, schedule or rollback',
    rolled_back_from INT          NULL,
    created_at       DATETIME(6)  NOT NULL,
    created_by       VARCHAR(300) NOT NULL,
    destroyed_at     DATETIME(6)  NULL,
    destroyed_by     VARCHAR(300) NULL,
    PRIMARY KEY (secret_id, version),
    CONSTRAINT fk_secret_version_secret FOREIGN KEY (secret_id) REFERENCES secret (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Grants. environment and name copy the secret's (both immutable) so a principal's grants are
-- read in listing order straight from ix_secret_grant_principal.
CREATE TABLE secret_grant (
    secret_id   BINARY(16)   NOT NULL,
    principal   VARCHAR(300) NOT NULL COMMENT 'user:<name>, role:<role>, service:<name> or workload:<ns>/<sa>',
    permissions INT          NOT NULL COMMENT 'Bit set: READ 1, WRITE 2, ROTATE 4, SHARE 8, ADMIN 16',
    environment VARCHAR(64)  NOT NULL,
    name        VARCHAR(255) NOT NULL,
    created_at  DATETIME(6)  NOT NULL,
    created_by  VARCHAR(300) NOT NULL,
    PRIMARY KEY (secret_id, principal),
    KEY ix_secret_grant_principal (principal, environment, name, permissions),
    CONSTRAINT fk_secret_grant_secret FOREIGN KEY (secret_id) REFERENCES secret (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE secret_tag (
    secret_id BINARY(16)   NOT NULL,
    tag_key   VARCHAR(64)  NOT NULL,
    tag_value VARCHAR(256) NOT NULL,
    PRIMARY KEY (secret_id, tag_key),
    KEY ix_secret_tag_value (tag_key, tag_value),
    CONSTRAINT fk_secret_tag_secret FOREIGN KEY (secret_id) REFERENCES secret (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
