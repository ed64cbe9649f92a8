package dev.strongroom.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.testing.AuditTopic;
import java.util.List;
import java.util.function.Predicate;

/**
 * Every audit event secrets-service published to the real broker's {@code strongroom.audit.v1} topic,
 * collected by one background consumer per test JVM (from the earliest offset).
 */
final class AuditEvents {

    private static final List<JsonNode> EVENTS = AuditTopic.events();
    static final List<String> RAW = AuditTopic.raw();

    private AuditEvents() {}

    static void start() {
        AuditTopic.start();
    }

    /** Waits until an event matching all conditions arrived and returns it. */
    static JsonNode await(String action, String secretId, Predicate<JsonNode> condition) {
        return AuditTopic.await(action, "secret/" + secretId, condition);
    }

    static JsonNode await(String action, String secretId) {
        return await(action, secretId, e -> true);
    }

    static List<JsonNode> all(String action, String secretId) {
        return EVENTS.stream()
                .filter(e -> action.equals(e.path("data").path("action").asText()))
                .filter(e -> ("secret/" + secretId).equals(e.path("subject").asText()))
                .toList();
    }

    static List<String> raw() {
        return List.copyOf(RAW);
    }
}
