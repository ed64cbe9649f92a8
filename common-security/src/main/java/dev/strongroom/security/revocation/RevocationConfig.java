package dev.strongroom.security.revocation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How a service learns about revoked sessions; prefix {@code strongroom.security.revocation}, see docs/auth.md. */
@ConfigMapping(prefix = "strongroom.security.revocation")
public interface RevocationConfig {

    /** Whether this service follows the revocation topic. Default true. */
    @WithDefault("true")
    boolean enabled();

    /** The compacted Kafka topic auth-service publishes revoked session ids on. Default {@code strongroom.sessions.revoked.v1}. */
    @WithDefault(SessionRevocation.TOPIC)
    String topic();

    /**
     * How far back a starting service reads the topic. Must cover the longest access-token lifetime
     * (plus clock skew), so a restarted service still knows every revocation that matters. Default PT1H.
     */
    @WithDefault("PT1H")
    Duration lookback();

    /** Longest wait of one poll of the topic. Default PT0.5S. */
    @WithDefault("PT0.5S")
    Duration pollTimeout();

    /** Pause before retrying when Kafka or the topic is not there yet (e.g. auth-service never started). Default PT2S. */
    @WithDefault("PT2S")
    Duration retryInterval();
}
