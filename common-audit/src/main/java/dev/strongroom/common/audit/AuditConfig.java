package dev.strongroom.common.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How a service records and relays its audit events. Every key is listed in docs/audit.md. */
@ConfigMapping(prefix = "strongroom.audit")
public interface AuditConfig {

    /** CloudEvent {@code source} of this service's events. Default {@code strongroom/<quarkus.application.name>}. */
    @WithDefault("strongroom/${quarkus.application.name}")
    String source();

    /** Kafka topic the relay publishes to. Default {@code strongroom.audit.v1}. */
    @WithDefault("strongroom.audit.v1")
    String topic();

    /**
     * Addresses (IPs or CIDR ranges, IPv4 or IPv6) of reverse proxies whose {@code X-Forwarded-For}
     * is believed. Default: none, so the client address is the TCP peer.
     */
    Optional<List<String>> trustedProxies();

    /** The outbox relay. */
    Relay relay();

    /** The key this service's relay signs its events with (docs/audit.md, "Signed events"). */
    Signing signing();

    interface Signing {

        /**
         * This service's HMAC-SHA256 key: base64 of at least 32 random bytes; audit-service holds the
         * same key as {@code strongroom.audit.producers.<service>.key}. Required in production (start-up
         * fails without it); in dev and test mode events go unsigned and audit-service refuses them.
         */
        Optional<String> key();
    }

    /** Group commit of events recorded with {@link AuditOutbox#recordCommitted} (secrets-service's reveals). */
    GroupCommit groupCommit();

    interface GroupCommit {

        /** Most events stored by one multi-row insert. Default 256. */
        @WithDefault("256")
        int maxBatch();

        /** Most events waiting for their insert; beyond it a request is refused at once (503). Default 10000. */
        @WithDefault("10000")
        int maxWaiting();
    }

    interface Relay {

        /** Whether this instance runs a relay (every replica may; they share the work). Default true. */
        @WithDefault("true")
        boolean enabled();

        /** Outbox rows taken, published and deleted per transaction. Default 500. */
        @WithDefault("500")
        int batchSize();

        /** Pause between polls when the outbox was drained. Default 200ms. */
        @WithDefault("200ms")
        Duration pollInterval();

        /** First pause after a failed publish; doubles (with jitter) up to {@link #backoffMax()}. Default 500ms. */
        @WithDefault("500ms")
        Duration backoffInitial();

        /** Longest pause between attempts while Kafka is unreachable. Default 30s. */
        @WithDefault("30s")
        Duration backoffMax();

        /** Longest wait for the broker to acknowledge one batch (Kafka delivery.timeout.ms). Default 30s. */
        @WithDefault("30s")
        Duration sendTimeout();

        /** How often the pending-rows gauges are refreshed. Default 5s. */
        @WithDefault("5s")
        Duration gaugeRefresh();
    }
}
