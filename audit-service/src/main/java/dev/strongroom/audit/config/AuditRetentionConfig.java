package dev.strongroom.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Retention of audit_record's partitions, and how many months are created ahead (docs/operations.md, "Retention"). */
@ConfigMapping(prefix = "strongroom.audit.retention")
public interface AuditRetentionConfig {

    /**
     * How long records are kept (e.g. {@code 400d}); a partition (month, week or day) is archived and
     * dropped once all of it is older. Unset (the default): nothing is ever dropped.
     */
    Optional<Duration> keep();

    /** Directory the archives are written to before a partition is dropped; required when {@link #keep()} is set. */
    Optional<String> archiveDir();

    /**
     * Months of partitions kept created ahead of time with month partitions, unless
     * {@code strongroom.audit.partitions.ahead} is set. Default 3.
     */
    @WithDefault("3")
    int monthsAhead();

    /** How often the partition job runs (every replica; a database lock lets one at a time work). Default 1h. */
    @WithDefault("1h")
    Duration every();
}
