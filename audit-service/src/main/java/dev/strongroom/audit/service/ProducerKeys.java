package dev.strongroom.audit.service;

import dev.strongroom.audit.config.AuditTrustConfig;
import dev.strongroom.common.audit.EventMac;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKey;

/**
 * The producing services' keys: an event is trusted only when its {@code strongroom-signature}
 * header is HMAC-SHA256 of the record under the key of the service its {@code source} names, so a
 * producer on the topic without a key, or with another service's key, cannot put events in the log.
 */
@Startup // a missing or malformed key fails start-up, not the consumer thread later
@ApplicationScoped
public class ProducerKeys {

    static final String SOURCE_PREFIX = "strongroom/";

    private final Map<String, List<SecretKey>> keys;

    @Inject
    ProducerKeys(AuditTrustConfig config) {
        this(parse(config.producers()));
    }

    ProducerKeys(Map<String, List<SecretKey>> keys) {
        this.keys = Map.copyOf(keys);
    }

    private static Map<String, List<SecretKey>> parse(Map<String, AuditTrustConfig.Producer> producers) {
        if (producers.isEmpty()) {
            throw new IllegalStateException("no audit producer keys are configured (strongroom.audit.producers.<service>.key):"
                    + " every event would be refused (docs/audit.md, \"Signed events\")");
        }
        Map<String, List<SecretKey>> keys = new HashMap<>();
        producers.forEach((name, producer) -> {
            String property = "strongroom.audit.producers." + name;
            List<SecretKey> accepted = new ArrayList<>(2);
            accepted.add(EventMac.key(producer.key(), property + ".key"));
            producer.previousKey().filter(key -> !key.isBlank()).ifPresent(key -> accepted.add(EventMac.key(key, property + ".previous-key")));
            keys.put(name, List.copyOf(accepted));
        });
        return keys;
    }

    /** A checker for one thread (it keeps a {@link EventMac} per key). */
    public Verifier verifier() {
        return new Verifier(keys);
    }

    /** Checks records' signatures; not thread-safe. */
    public static final class Verifier {

        private final Map<String, List<SecretKey>> keys;
        private final Map<SecretKey, EventMac> macs = new HashMap<>();

        Verifier(Map<String, List<SecretKey>> keys) {
            this.keys = keys;
        }

        /** Null when the record is signed by the producer its event's {@code source} names; else why not. */
        public RejectReason check(String source, String value, byte[] signature) {
            if (signature == null) {
                return RejectReason.UNSIGNED;
            }
            List<SecretKey> candidates = keys.get(source.startsWith(SOURCE_PREFIX) ? source.substring(SOURCE_PREFIX.length()) : source);
            if (candidates == null) {
                return RejectReason.UNKNOWN_PRODUCER;
            }
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            for (SecretKey key : candidates) {
                if (macs.computeIfAbsent(key, EventMac::new).verifies(bytes, signature)) {
                    return null;
                }
            }
            return RejectReason.FORGED;
        }
    }
}
