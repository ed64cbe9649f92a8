-- The audit log at scale (docs/audit.md, "Partitions and retention"): audit_record is partitioned by
-- month of stored_at, so inserts and the secondary indexes they touch stay in one small, hot partition
-- however long the log grows, and old months can be archived and dropped whole (strongroom.audit.retention).
--
-- MariaDB wants every unique key to contain the partitioning column, so:
--  * the event-id uniqueness (duplicates are dropped on arrival) moves to audit_event_seen, a narrow
--    table keyed by the UUIDv7 id (time ordered, so its inserts append at the end of its B-tree);
--  * (chain_partition, sequence) stays unique per chain in practice through the anchor: every batch
--    moves its chain's anchor with a compare-and-set on the previous head, so two writers cannot both
--    append sequence n; the key (chain_partition, sequence, stored_at) keeps the chain walk indexed.

CREATE TABLE audit_event_seen (
    event_id BINARY(16) NOT NULL COMMENT 'CloudEvent id (UUIDv7) of a stored event',
    PRIMARY KEY (event_id)
) ENGINE = InnoDB;

INSERT INTO audit_event_seen (event_id) SELECT event_id FROM audit_record;

-- Where the kept part of each chain starts once older records were archived and dropped: the last
-- dropped record's sequence and hash, MAC'd under the anchor key with its own context, so the
-- integrity check starts there and a cut of the kept records is still found.
-- audit-service's account needs SELECT, INSERT, UPDATE on this table (never DELETE).
CREATE TABLE audit_chain_checkpoint (
    chain_partition INT          NOT NULL COMMENT 'Kafka partition = chain',
    sequence        BIGINT       NOT NULL COMMENT 'The last archived (dropped) record of the chain',
    hash            BINARY(32)   NOT NULL COMMENT 'Its hash',
    mac             BINARY(32)   NOT NULL COMMENT 'HMAC-SHA256(anchor key, "strongroom.audit.checkpoint.v1" || partition || sequence || hash)',
    updated_at      DATETIME(6)  NOT NULL,
    PRIMARY KEY (chain_partition)
) ENGINE = InnoDB;

-- What retention archived and dropped (the audit trail of the archive action itself).
CREATE TABLE audit_archive (
    id              BIGINT        NOT NULL AUTO_INCREMENT,
    partition_name  VARCHAR(64)   NOT NULL,
    stored_before   DATETIME(6)   NOT NULL COMMENT 'Upper bound (exclusive) of stored_at in the dropped partition',
    record_count    BIGINT        NOT NULL,
    file_name       VARCHAR(255)  NOT NULL,
    sha256          CHAR(64)      NOT NULL COMMENT 'SHA-256 of the archive file',
    archived_at     DATETIME(6)   NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY ux_audit_archive_partition (partition_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

ALTER TABLE audit_record
    DROP PRIMARY KEY,
    ADD PRIMARY KEY (id, stored_at),
    DROP INDEX ux_audit_record_chain,
    ADD UNIQUE KEY ux_audit_record_chain (chain_partition, sequence, stored_at),
    DROP INDEX ux_audit_record_event,
    ADD KEY ix_audit_record_event (event_id);

-- History up to this month in p_history, this month in its own partition, and an empty catch-all
-- that the partition job (PartitionMaintenance) splits ahead of time into the coming months.
SET @this_month = DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-01');
SET @next_month = DATE_FORMAT(UTC_TIMESTAMP() + INTERVAL 1 MONTH, '%Y-%m-01');
SET @ddl = CONCAT('ALTER TABLE audit_record PARTITION BY RANGE COLUMNS (stored_at) (',
    'PARTITION p_history VALUES LESS THAN (''', @this_month, '''), ',
    'PARTITION p', DATE_FORMAT(UTC_TIMESTAMP(), '%Y%m'), ' VALUES LESS THAN (''', @next_month, '''), ',
    'PARTITION p_future VALUES LESS THAN (MAXVALUE))');
PREPARE partition_stmt FROM @ddl;
EXECUTE partition_stmt;
DEALLOCATE PREPARE partition_stmt;
