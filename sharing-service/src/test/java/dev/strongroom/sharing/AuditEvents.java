package dev.strongroom.sharing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.testing.AuditTopic;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/** sharing-service's view of the audit topic (test-support's {@link AuditTopic}): events about shares. */
final class AuditEvents {

    private AuditEvents() {}

    /** Events of this action about this share received so far. */
    static List<JsonNode> of(String action, String shareId) {
        return AuditTopic.about(action, "share/" + shareId);
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
