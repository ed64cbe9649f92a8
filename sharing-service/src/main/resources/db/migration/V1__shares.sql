-- sharing-service schema. Zero knowledge at rest: a share keeps the SHA-256 of its link token and the
-- value encrypted under a key that exists only in the link's fragment; nothing here opens a value.
-- The ciphertext is deleted (NULL) once the share is used up, expired, burnt or revoked; the row stays
-- for listing and audit until the purge job removes it after the retention period.

CREATE TABLE share (
    id               BINARY(16)    NOT NULL COMMENT 'UUIDv7; bound into the ciphertext as associated data',
    token_hash       BINARY(32)    NOT NULL COMMENT 'SHA-256 of the link token (never the token)',
    secret_id        BINARY(16)    NOT NULL,
    secret_version   INT           NOT NULL,
    secret_name      VARCHAR(255)  NOT NULL,
    environment      VARCHAR(64)   NOT NULL,
    created_by_id    VARCHAR(255)  NOT NULL COMMENT 'sub of the creator',
    created_by       VARCHAR(300)  NOT NULL COMMENT 'Creator as a principal, e.g. user:alice',
    notify_email     VARCHAR(320)  NULL COMMENT 'Where the creator is told about opens and burns',
    created_at       DATETIME(6)   NOT NULL,
    expires_at       DATETIME(6)   NOT NULL,
    max_views        INT           NOT NULL,
    views_left       INT           NOT NULL,
    state            VARCHAR(16)   NOT NULL COMMENT 'active, used, expired, revoked, burnt',
    ended_at         DATETIME(6)   NULL COMMENT 'When it left the active state',
    ciphertext       MEDIUMBLOB    NULL COMMENT 'nonce || AES-256-GCM(value) || tag; NULL once not active',
    passphrase_hash  VARCHAR(255)  NULL COMMENT 'Argon2id PHC string of the optional passphrase',
    failed_tries     INT           NOT NULL DEFAULT 0 COMMENT 'Wrong passphrases so far; 5 burn the share',
    pending_tries    INT           NOT NULL DEFAULT 0 COMMENT 'Passphrase checks in flight (reserved tries)',
    tried_at         DATETIME(6)   NULL COMMENT 'Last try reserved; stale reservations are released by the purge job',
    PRIMARY KEY (id),
    UNIQUE KEY ux_share_token_hash (token_hash),
    KEY ix_share_creator (created_by_id, created_at, id),
    KEY ix_share_state_expires (state, expires_at),
    KEY ix_share_ended (ended_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
