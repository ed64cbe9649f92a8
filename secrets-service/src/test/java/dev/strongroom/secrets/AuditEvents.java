package dev.strongroom.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.testing.AuditTopic;
import java.util.List;
import java.util.function.Predicate;

/** secrets-service's view of the audit topic (test-support's {@link AuditTopic}): events about secrets. */
final class AuditEvents {

    private AuditEvents() {}

    /** Waits until an event matching all conditions arrived and returns it. */
    static JsonNode await(String action, String secretId, Predicate<JsonNode> condition) {
        return AuditTopic.await(action, "secret/" + secretId, condition);
    }

    static JsonNode await(String action, String secretId) {
        return await(action, secretId, e -> true);
    }

    /** Events of this action about this secret received so far. */
    static List<JsonNode> all(String action, String secretId) {
        return AuditTopic.about(action, "secret/" + secretId);
    }

    /** Every record's text received so far, JSON or not. */
    static List<String> raw() {
        return List.copyOf(AuditTopic.raw());
    }
}
