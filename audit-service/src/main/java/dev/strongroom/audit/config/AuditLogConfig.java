package dev.strongroom.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How audit-service consumes strongroom.audit.v1 into the chained log. Keys are listed in docs/audit.md. */
@ConfigMapping(prefix = "strongroom.audit.log")
public interface AuditLogConfig {

    /** Whether this instance consumes (every replica may; Kafka splits the partitions). Default true. */
    @WithDefault("true")
    boolean enabled();

    /** Kafka consumer group of audit-service. Default {@code strongroom-audit-service}. */
    @WithDefault("strongroom-audit-service")
    String consumerGroup();

    /**
     * Consumers in this instance, each with its own Kafka consumer, store thread and database
     * transaction, like replicas in one process: Kafka gives each some of the partitions, and
     * chains are per partition, so they store in parallel. More than the topic's partitions
     * (across all replicas) only idle. Default 3.
     */
    @WithDefault("3")
    int consumers();

    /** Most records taken per poll, stored in one transaction. Default 2000. */
    @WithDefault("2000")
    int maxPollRecords();

    /** Longest wait of one poll. Default 500ms. */
    @WithDefault("500ms")
    Duration pollTimeout();

    /** First pause after a failed batch (database down); doubles with jitter. Default 500ms. */
    @WithDefault("500ms")
    Duration backoffInitial();

    /** Longest pause between retries of a failed batch. Default 30s. */
    @WithDefault("30s")
    Duration backoffMax();
}
