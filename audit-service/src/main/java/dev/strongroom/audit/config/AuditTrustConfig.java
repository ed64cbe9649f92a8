package dev.strongroom.audit.config;

import io.smallrye.config.ConfigMapping;
import java.util.Map;
import java.util.Optional;

/**
 * The keys audit-service trusts events and anchors its chains with (docs/audit.md, "Signed events"
 * and "Anchored chain heads"). Every value is base64 of at least 32 random bytes; none is ever logged.
 */
@ConfigMapping(prefix = "strongroom.audit")
public interface AuditTrustConfig {

    /**
     * One entry per producing service, named as in its events' {@code source} without
     * {@code strongroom/} ({@code strongroom.audit.producers.secrets-service.key}). Events whose
     * producer is missing here, unsigned or signed with another key are refused. At least one is required.
     */
    Map<String, Producer> producers();

    /** The MAC key of the chain heads. */
    Anchor anchor();

    interface Producer {

        /** The producer's {@code strongroom.audit.signing.key}. */
        String key();

        /** Its previous key, still accepted while the producer's replicas roll over to the new one. Default: none. */
        Optional<String> previousKey();
    }

    interface Anchor {

        /** HMAC-SHA256 key of the chain-head anchors; kept outside the database. Required. */
        Optional<String> key();
    }
}
