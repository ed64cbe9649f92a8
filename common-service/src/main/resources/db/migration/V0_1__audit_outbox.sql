-- Every service's transactional outbox (shipped by common-service, so each service's own
-- migrations start at V1). An audit event is inserted here in the SAME transaction as the
-- change it describes; the outbox relay publishes rows to Kafka topic strongroom.audit.v1
-- and deletes them once the broker has acknowledged (acks=all). Rows never hold a secret
-- value, password, token or key.
CREATE TABLE audit_outbox (
    id              BINARY(16)   NOT NULL COMMENT 'CloudEvent id (UUIDv7, so ordering by id is ordering by time)',
    record_key      VARCHAR(255) NOT NULL COMMENT 'Kafka record key: the resource the event is about',
    event           MEDIUMTEXT   NOT NULL COMMENT 'The CloudEvent, structured JSON',
    created_at      DATETIME(6)  NOT NULL,
    attempts        INT          NOT NULL DEFAULT 0 COMMENT 'Failed publish attempts so far',
    next_attempt_at DATETIME(6)  NOT NULL COMMENT 'Earliest time the relay tries again (backoff)',
    PRIMARY KEY (id),
    KEY ix_audit_outbox_due (next_attempt_at, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
