package dev.strongroom.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Splunk HTTP Event Collector forwarding. Off until {@code url} is set. Keys are listed in docs/audit.md. */
@ConfigMapping(prefix = "strongroom.audit.hec")
public interface HecConfig {

    /**
     * Base URL of HEC, e.g. {@code https://splunk.example.com:8088}, or its full endpoint URL
     * ({@code …/services/collector/event}). Default: unset, forwarding off.
     */
    Optional<String> url();

    /** HEC token (sent as {@code Authorization: Splunk <token>}); never logged. Default: unset. */
    Optional<String> token();

    /** Target index; unset uses the token's default index. */
    Optional<String> index();

    /** Splunk {@code source} of the events. Default {@code strongroom}. */
    @WithDefault("strongroom")
    String source();

    /** Splunk {@code sourcetype}. Default {@code strongroom:audit}. */
    @WithDefault("strongroom:audit")
    String sourcetype();

    /** Splunk {@code host}; unset uses the service that recorded each event. */
    Optional<String> host();

    /** Events per HEC request. Default 500. */
    @WithDefault("500")
    int batchSize();

    /** Longest wait for a batch to fill before it is sent anyway. Default 1s. */
    @WithDefault("1s")
    Duration linger();

    /** Connect and response timeout of one HEC request. Default 10s. */
    @WithDefault("10s")
    Duration requestTimeout();

    /** First pause after a retryable failure (5xx, HEC codes 8, 9, 18-20, network); doubles with jitter. Default 1s. */
    @WithDefault("1s")
    Duration backoffInitial();

    /** Longest pause between retries (also while the token is refused). Default 60s. */
    @WithDefault("60s")
    Duration backoffMax();

    Tls tls();

    Ack ack();

    interface Tls {
        /** Verify the HEC server's certificate and host name. Turn off only for test rigs. Default true. */
        @WithDefault("true")
        boolean verify();

        /** PEM file with the CA certificate(s) to trust for HEC; unset uses the JVM's trust store. */
        Optional<String> caFile();
    }

    interface Ack {
        /** Use indexer acknowledgement: an event counts as delivered only once HEC acks it. Default false. */
        @WithDefault("false")
        boolean enabled();

        /** How often to poll {@code /services/collector/ack}. Default 500ms. */
        @WithDefault("500ms")
        Duration pollInterval();

        /** Resend a batch that is not acknowledged within this time. Default 60s. */
        @WithDefault("60s")
        Duration timeout();
    }
}
