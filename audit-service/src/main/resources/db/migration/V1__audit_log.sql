-- The audit log: one hash chain per Kafka partition of strongroom.audit.v1.
--
-- APPEND-ONLY. audit-service only ever INSERTs into audit_record. In production its database
-- account must not be able to change or remove rows; MariaDB has no per-table "insert only"
-- privilege short of column/table grants, so grant per table (docs/audit.md, "Grants"):
--   GRANT SELECT, INSERT ON strongroom_audit.audit_record TO 'audit'@'%';
--   (and no UPDATE, DELETE, DROP, ALTER on it; migrations run as a separate owner account)
-- or, if the service account was granted ALL on the schema:
--   REVOKE UPDATE, DELETE ON strongroom_audit.* FROM 'audit'@'%';   -- then re-grant the other tables
-- Tampering that still happens (a DBA, a restored backup) is found by GET /v1/audit/integrity.

CREATE TABLE audit_record (
    id              BIGINT       NOT NULL AUTO_INCREMENT COMMENT 'Storage order (not the chain order)',
    chain_partition INT          NOT NULL COMMENT 'Kafka partition = chain',
    sequence        BIGINT       NOT NULL COMMENT 'Position in its chain, from 1',
    event_id        BINARY(16)   NOT NULL COMMENT 'CloudEvent id; duplicates are dropped on arrival',
    event_time      DATETIME(3)  NOT NULL COMMENT 'CloudEvent time, UTC',
    action          VARCHAR(128) NOT NULL COMMENT 'data.action, e.g. secret.read',
    actor           VARCHAR(255) NULL     COMMENT 'data.actor.name (or id when nameless)',
    resource_id     VARCHAR(255) NULL     COMMENT 'data.resource.id',
    outcome         VARCHAR(16)  NOT NULL COMMENT 'success, failure or denied',
    event           MEDIUMTEXT   NOT NULL COMMENT 'The CloudEvent in canonical JSON (what the hash covers)',
    prev_hash       BINARY(32)   NOT NULL COMMENT 'hash of sequence - 1; 32 zero bytes for sequence 1',
    hash            BINARY(32)   NOT NULL COMMENT 'SHA-256(prev_hash || canonical event)',
    kafka_offset    BIGINT       NOT NULL,
    stored_at       DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY ux_audit_record_chain (chain_partition, sequence),
    UNIQUE KEY ux_audit_record_event (event_id),
    KEY ix_audit_record_time (event_time, id),
    KEY ix_audit_record_actor (actor, event_time, id),
    KEY ix_audit_record_action (action, event_time, id),
    KEY ix_audit_record_resource (resource_id, event_time, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Records that were not audit events (unparseable, missing fields): kept for inspection, never chained.
CREATE TABLE audit_rejected (
    id           BIGINT        NOT NULL AUTO_INCREMENT,
    kafka_partition INT        NOT NULL,
    kafka_offset BIGINT        NOT NULL,
    reason       VARCHAR(500)  NOT NULL,
    payload      MEDIUMTEXT    NULL COMMENT 'First 64 KiB of the record value',
    rejected_at  DATETIME(6)   NOT NULL,
    PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Splunk HEC forwarding position, per chain: everything up to `sequence` was accepted by HEC.
CREATE TABLE hec_position (
    chain_partition INT          NOT NULL,
    sequence        BIGINT       NOT NULL,
    updated_at      DATETIME(6)  NOT NULL,
    PRIMARY KEY (chain_partition)
) ENGINE = InnoDB;

-- Events HEC refused for good (4xx about the event itself); the stream moved on without them.
CREATE TABLE hec_dead_letter (
    id              BIGINT        NOT NULL AUTO_INCREMENT,
    chain_partition INT           NOT NULL,
    sequence        BIGINT        NOT NULL,
    event_id        BINARY(16)    NOT NULL,
    http_status     INT           NOT NULL,
    hec_code        INT           NULL,
    reason          VARCHAR(500)  NOT NULL,
    created_at      DATETIME(6)   NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY ux_hec_dead_letter_record (chain_partition, sequence)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Alert rules: event counts per rule, key and 10-second bucket (shared by every replica) ...
CREATE TABLE alert_window (
    rule        VARCHAR(64)  NOT NULL,
    subject_key VARCHAR(255) NOT NULL,
    bucket      BIGINT       NOT NULL COMMENT 'event time in epoch seconds / 10',
    hits        INT          NOT NULL,
    PRIMARY KEY (rule, subject_key, bucket)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- ... and when each rule last fired for a key, so one burst raises one alert per window.
CREATE TABLE alert_state (
    rule           VARCHAR(64)  NOT NULL,
    subject_key    VARCHAR(255) NOT NULL,
    last_raised_at DATETIME(3)  NOT NULL,
    raised_count   BIGINT       NOT NULL,
    PRIMARY KEY (rule, subject_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
