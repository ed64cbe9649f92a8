package dev.strongroom.sharing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.testing.AuditTopic;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/** sharing-service's view of the audit topic (test-support's {@link AuditTopic}): events about shares. */
final class AuditEvents {

    private static final List<JsonNode> EVENTS = AuditTopic.events();
    static final List<String> RAW = AuditTopic.raw();

    private AuditEvents() {}

    static void start() {
        AuditTopic.start();
    }

    /** Events of this action about this share. */
    static List<JsonNode> of(String action, String shareId) {
        start();
        return EVENTS.stream()
                .filter(e -> action.equals(e.path("data").path("action").asText()) && ("share/" + shareId).equals(e.path("subject").asText()))
                .toList();
    }

    /** Waits until an event matching all conditions arrived and returns it. */
    static JsonNode await(String action, String shareId, Predicate<JsonNode> condition) {
        return AuditTopic.await(action, "share/" + shareId, condition);
    }

    static JsonNode await(String action, String shareId) {
        return await(action, shareId, e -> true);
    }

    /** Waits until exactly {@code count} events of this action about this share arrived (and a moment more). */
    static List<JsonNode> awaitCount(String action, String shareId, int count) {
        start();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> of(action, shareId).size() >= count);
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return of(action, shareId);
    }
}
