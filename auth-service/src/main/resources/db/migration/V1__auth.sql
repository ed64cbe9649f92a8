-- auth-service: accounts, MFA, sessions with their refresh-token families, service accounts, Kubernetes roles.
-- Times are UTC. Ids are UUIDv7 strings.

CREATE TABLE users (
    id                  CHAR(36)     NOT NULL PRIMARY KEY,
    username            VARCHAR(64)  NOT NULL,
    -- lower-cased username: names differing only in case are the same account
    username_key        VARCHAR(64)  NOT NULL,
    email               VARCHAR(254) NULL,
    -- PHC string: $argon2id$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt>$<hash>
    password_hash       VARCHAR(255) NOT NULL,
    roles               VARCHAR(255) NOT NULL,
    disabled            BOOLEAN      NOT NULL DEFAULT FALSE,
    failed_logins       INT          NOT NULL DEFAULT 0,
    locked_until        DATETIME(3)  NULL,
    totp_secret         VARCHAR(64)  NULL,
    totp_pending_secret VARCHAR(64)  NULL,
    -- last accepted TOTP time step: a code is accepted once, never an older one
    totp_last_step      BIGINT       NOT NULL DEFAULT 0,
    password_changed_at DATETIME(3)  NOT NULL,
    created_at          DATETIME(3)  NOT NULL,
    updated_at          DATETIME(3)  NOT NULL,
    row_version         BIGINT       NOT NULL DEFAULT 0,
    CONSTRAINT uq_users_username UNIQUE (username_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE recovery_codes (
    id         CHAR(36)    NOT NULL PRIMARY KEY,
    user_id    CHAR(36)    NOT NULL,
    -- SHA-256 of the 80-bit random code
    code_hash  BINARY(32)  NOT NULL,
    used_at    DATETIME(3) NULL,
    created_at DATETIME(3) NOT NULL,
    CONSTRAINT fk_recovery_codes_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    INDEX ix_recovery_codes_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A login session; its refresh tokens form one family. The sid of every access token issued in it.
CREATE TABLE sessions (
    id                   CHAR(36)     NOT NULL PRIMARY KEY,
    user_id              CHAR(36)     NOT NULL,
    created_at           DATETIME(3)  NOT NULL,
    last_refreshed_at    DATETIME(3)  NULL,
    revoked_at           DATETIME(3)  NULL,
    revoke_reason        VARCHAR(32)  NULL,
    -- revocation relay: 0 until the revocation is on the Kafka topic
    revocation_published BOOLEAN      NOT NULL DEFAULT FALSE,
    ip                   VARCHAR(64)  NULL,
    user_agent           VARCHAR(256) NULL,
    CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    INDEX ix_sessions_user (user_id),
    INDEX ix_sessions_unpublished (revocation_published, revoked_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE refresh_tokens (
    -- SHA-256 of the opaque token; the token itself is never stored
    token_hash BINARY(32)  NOT NULL PRIMARY KEY,
    session_id CHAR(36)    NOT NULL,
    created_at DATETIME(3) NOT NULL,
    expires_at DATETIME(3) NOT NULL,
    -- set when the token was exchanged; presenting it again is reuse
    used_at    DATETIME(3) NULL,
    CONSTRAINT fk_refresh_tokens_session FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE CASCADE,
    INDEX ix_refresh_tokens_session (session_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Revocations of sessions that have no row in sessions (service accounts, Kubernetes roles), relayed like session ones.
CREATE TABLE revocations (
    sid          VARCHAR(64) NOT NULL PRIMARY KEY,
    reason       VARCHAR(32) NOT NULL,
    revoked_at   DATETIME(3) NOT NULL,
    published    BOOLEAN     NOT NULL DEFAULT FALSE,
    INDEX ix_revocations_unpublished (published, revoked_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE service_accounts (
    id          CHAR(36)     NOT NULL PRIMARY KEY,
    name        VARCHAR(64)  NOT NULL,
    client_id   VARCHAR(64)  NOT NULL,
    -- SHA-256 of the 256-bit random client secret
    secret_hash BINARY(32)   NOT NULL,
    roles       VARCHAR(255) NOT NULL,
    -- api: created through the admin API; config: provisioned from strongroom.auth.service-clients
    origin      VARCHAR(16)  NOT NULL,
    created_at  DATETIME(3)  NOT NULL,
    updated_at  DATETIME(3)  NOT NULL,
    CONSTRAINT uq_service_accounts_name UNIQUE (name),
    CONSTRAINT uq_service_accounts_client UNIQUE (client_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE kubernetes_roles (
    id                     CHAR(36)      NOT NULL PRIMARY KEY,
    name                   VARCHAR(64)   NOT NULL,
    bound_namespaces       VARCHAR(2048) NOT NULL,
    bound_service_accounts VARCHAR(2048) NOT NULL,
    audience               VARCHAR(255)  NOT NULL,
    roles                  VARCHAR(255)  NOT NULL,
    created_at             DATETIME(3)   NOT NULL,
    CONSTRAINT uq_kubernetes_roles_name UNIQUE (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
