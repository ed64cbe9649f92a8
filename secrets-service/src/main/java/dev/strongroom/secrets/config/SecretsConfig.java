package dev.strongroom.secrets.config;

import dev.strongroom.crypto.client.DataKeyCacheConfig;
import dev.strongroom.crypto.client.KeyServiceConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** secrets-service settings, prefix {@code strongroom.secrets}; docs/secrets.md lists each with its default. */
@ConfigMapping(prefix = "strongroom.secrets")
public interface SecretsConfig {

    /** Name of the key-service key (KEK) that wraps every data key. Default {@code secrets}. */
    @WithDefault("secrets")
    String kekName();

    /** Environments a secret may live in. Default development, staging, production, testing. */
    @WithDefault("development,staging,production,testing")
    List<String> environments();

    /**
     * Protected environments and who, besides admins, may create secrets in them (take a name there):
     * {@code strongroom.secrets.creators.<environment>=role:release,user:alice,service:ci,workload:ns/sa}. An
     * environment with an entry is protected ({@code role:admin} alone: admins only); one without stays open to
     * every authenticated caller. Default: none, every environment open. Checked at start-up.
     */
    Map<String, List<String>> creators();

    /** Largest value, in UTF-8 bytes; larger answers 413. Default 65536 (64 KiB). */
    @WithDefault("65536")
    int maxValueBytes();

    /** Versions kept per secret unless the secret says otherwise. Default 10. */
    @WithDefault("10")
    int defaultMaxVersions();

    /** Most versions a secret may ask to keep. Default 100. */
    @WithDefault("100")
    int maxVersionsLimit();

    /** Most names in one batch read. Default 100. */
    @WithDefault("100")
    int batchLimit();

    /** Most grants on one secret. Default 100. */
    @WithDefault("100")
    int maxGrants();

    /**
     * How a reveal's {@code secret.read} event is made durable before the value leaves. {@code group} (default):
     * the access query runs without a transaction and the event is committed by itself, grouped with concurrent
     * reveals' events in one multi-row insert; the value is sent only after that insert committed, and a failed
     * insert fails every reveal in it (503). {@code transaction}: decryption and event in one transaction per reveal.
     * Changes (writes, grants, deletes) always record their event in their own transaction. See docs/secrets.md.
     */
    @WithDefault("group")
    RevealAudit revealAudit();

    enum RevealAudit {
        /** Reveal events group-committed, each reveal waiting for its own. */
        GROUP,
        /** Each reveal's decryption and event in one transaction. */
        TRANSACTION
    }

    /** How key-service is reached. */
    KeyServiceConfig kms();

    /** Who may fetch values for share links ({@code POST /v1/secrets/{id}/share-value}). */
    ShareValue shareValue();

    interface ShareValue {
        /** Service accounts whose token must accompany the sharer's (header X-Strongroom-Service-Token). Default sharing-service. */
        @WithDefault("sharing-service")
        java.util.Set<String> services();

        /** The role that service's token must carry. Default sharing. */
        @WithDefault("sharing")
        String role();
    }

    /** Unwrapped data keys kept in memory so hot reads skip key-service. */
    DataKeyCacheConfig dataKeyCache();

    /** How long one data key seals new values before a fresh one is wrapped (saves a key-service call per write). */
    DataKeyReuse dataKeyReuse();

    /** Scheduled rotation. */
    Rotation rotation();

    /** The report and its Prometheus gauges. */
    Report report();

    interface DataKeyReuse {
        /** The most values one data key seals; 0 or 1: a data key per value (one key-service call per write). Default 100000. */
        @WithDefault("100000")
        long maxValues();

        /** The longest one data key seals new values (a KEK rotation reaches new writes within it). Default 5m. */
        @WithDefault("5m")
        Duration maxAge();
    }

    interface Rotation {
        /** Whether this replica runs scheduled rotations (every replica may; they share the work). Default true. */
        @WithDefault("true")
        boolean enabled();

        /** How often the scheduler looks for due rotations. Default 60s. */
        @WithName("every")
        @WithDefault("60s")
        String every();

        /** Secrets claimed per look. Default 20. */
        @WithDefault("20")
        int batchSize();

        /** How long a claimed rotation is reserved for the replica that claimed it. Default 5m. */
        @WithDefault("5m")
        Duration lease();

        /** Pause before retrying a failed scheduled rotation (doubles per failure, up to 24h). Default 5m. */
        @WithDefault("5m")
        Duration retryDelay();

        /** Hosts (host or host:port) webhook generators may call; empty disables webhook generators. Default none. */
        Optional<List<String>> webhookAllowedHosts();

        /** Timeout of one webhook generator call. Default 10s. */
        @WithDefault("10s")
        Duration webhookTimeout();
    }

    interface Report {
        /** Secrets expiring within this many days count as expiring soon. Default 30. */
        @WithDefault("30")
        int expiringWithinDays();

        /** A scheduled rotation this late counts as overdue. Default 1h. */
        @WithDefault("1h")
        Duration overdueAfter();

        /** How often the report gauges are recomputed. Default 60s. */
        @WithDefault("60s")
        String gaugeRefresh();

        /** Most secrets listed per report section (counts are always complete). Default 100. */
        @WithDefault("100")
        int listLimit();
    }
}
