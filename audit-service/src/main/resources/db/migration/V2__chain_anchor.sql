-- The anchored head of each chain (docs/audit.md, "Anchored chain heads"): written in the same
-- transaction as the records it covers, with a MAC under a key that is not in the database, so a
-- table rewritten with recomputed hashes, or cut short, no longer matches its anchor.
-- audit-service's account needs SELECT, INSERT, UPDATE on this table (never DELETE).
CREATE TABLE audit_chain_anchor (
    chain_partition INT          NOT NULL COMMENT 'Kafka partition = chain',
    sequence        BIGINT       NOT NULL COMMENT 'The last record of the chain',
    hash            BINARY(32)   NOT NULL COMMENT 'Its hash',
    mac             BINARY(32)   NOT NULL COMMENT 'HMAC-SHA256(anchor key, "strongroom.audit.anchor.v1" || partition || sequence || hash)',
    anchored_at     DATETIME(6)  NOT NULL,
    PRIMARY KEY (chain_partition)
) ENGINE = InnoDB;
