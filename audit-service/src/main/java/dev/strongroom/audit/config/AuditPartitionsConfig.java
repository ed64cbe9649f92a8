package dev.strongroom.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How long each partition of audit_record is (docs/operations.md, "Partition period"). */
@ConfigMapping(prefix = "strongroom.audit.partitions")
public interface AuditPartitionsConfig {

    /**
     * {@code month} (default), {@code week} (ISO weeks, Monday to Sunday) or {@code day}: the length of the
     * partitions the job creates from the end of the last one on. Existing partitions are kept as they are.
     */
    @WithDefault("month")
    String period();

    /**
     * Partitions created ahead after the current one. Unset: {@code strongroom.audit.retention.months-ahead}
     * (3) for month, 3 for week, 14 for day.
     */
    Optional<Integer> ahead();

    /**
     * How long the job's partition DDL (create, fold, drop) waits for audit_record's metadata lock, which a
     * running query such as the integrity walk holds. While it waits, new inserts queue behind it; after
     * this it gives up and the next run tries again. Whole seconds, at least 1 s; MariaDB may wait up to
     * about twice this (two lock stages).
     */
    @WithDefault("2s")
    Duration lockWait();
}
