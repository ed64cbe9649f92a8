-- key-service: named key-encryption keys. Each key's versions are one Tink keyset, stored only
-- sealed (encrypted) by the root key, which never touches this database. Nothing here opens a value.
CREATE TABLE kms_keys (
    name                       VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL COMMENT '[a-zA-Z0-9._-]{1,64}',
    algorithm                  VARCHAR(32)  NOT NULL COMMENT 'AES256_GCM',
    primary_version            INT          NOT NULL COMMENT 'Version that encrypts; equals the Tink primary key id',
    min_decryption_version     INT          NOT NULL DEFAULT 1 COMMENT 'Ciphertexts of older versions are refused',
    auto_rotate_period_seconds BIGINT       NULL COMMENT 'Scheduled rotation period; NULL = manual only',
    next_rotation_at           DATETIME(6)  NULL COMMENT 'When the scheduler rotates next (UTC); NULL = never',
    sealed_keyset              MEDIUMBLOB   NOT NULL COMMENT 'Tink EncryptedKeyset: keyset encrypted by the root key, associated data strongroom-kms/keyset/<name>',
    sealed_by                  VARCHAR(512) NOT NULL COMMENT 'Which root key sealed it: keyset:<key id> or a KMS key URI; never key material',
    created_at                 DATETIME(6)  NOT NULL,
    updated_at                 DATETIME(6)  NOT NULL,
    row_version                BIGINT       NOT NULL DEFAULT 0 COMMENT 'Optimistic lock',
    PRIMARY KEY (name),
    KEY ix_kms_keys_rotation_due (next_rotation_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE kms_key_versions (
    key_name   VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    version    INT         NOT NULL,
    created_at DATETIME(6) NOT NULL,
    PRIMARY KEY (key_name, version),
    CONSTRAINT fk_kms_key_versions_key FOREIGN KEY (key_name) REFERENCES kms_keys (name) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
