package dev.strongroom.audit;

import dev.strongroom.testing.HecReceiver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With indexer acknowledgement on, an event counts as delivered only once HEC acknowledged it. */
@QuarkusTest
@TestProfile(HecAcknowledgementTest.AckOn.class)
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(HecTestResource.class)
class HecAcknowledgementTest {

    public static class AckOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "strongroom.audit.hec.ack.enabled", "true",
                    "strongroom.audit.hec.ack.poll-interval", "100ms",
                    "strongroom.audit.hec.ack.timeout", "2s");
        }
    }

    private final HecReceiver hec = HecReceiver.shared();

    @BeforeAll
    static void receiverRequiresAcks() {
        HecReceiver.shared().requireAck(true, 2);
    }

    @AfterAll
    static void receiverWithoutAcks() {
        HecReceiver.shared().requireAck(false, 0);
    }

    @Test
    void deliversOnceAcknowledgedOnTheSameChannel() {
        List<AuditEvent> sent = AuditTestSupport.publishAll(HecForwardingTest.builders("ack", 30));
        Map<String, Long> copies = awaitIndexed(sent);
        assertThat(copies.values()).allMatch(n -> n == 1);
    }

    @Test
    void resendsWhatIsNotAcknowledgedInTime() {
        hec.requireAck(true, 1_000_000);
        List<AuditEvent> sent = AuditTestSupport.publishAll(HecForwardingTest.builders("late-ack", 10));
        int before = hec.requests();
        // Ack timeout is 2 s: the forwarder sends the batch again and again while no ack comes.
        await().atMost(Duration.ofSeconds(20)).until(() -> hec.requests() >= before + 2);
        assertThat(hec.indexedWithEventIdIn(ids(sent))).isEmpty();
        hec.requireAck(true, 1);
        Map<String, Long> copies = awaitIndexed(sent);
        assertThat(copies).hasSize(10);
    }

    private Map<String, Long> awaitIndexed(List<AuditEvent> sent) {
        Set<String> ids = ids(sent);
        await().atMost(Duration.ofSeconds(45)).until(() -> hec.indexedWithEventIdIn(ids).stream()
                .map(e -> e.path("event").path("id").asText()).collect(Collectors.toSet()).size() == ids.size());
        return hec.indexedWithEventIdIn(ids).stream()
                .collect(Collectors.groupingBy(e -> e.path("event").path("id").asText(), Collectors.counting()));
    }

    private static Set<String> ids(List<AuditEvent> events) {
        return events.stream().map(AuditEvent::id).collect(Collectors.toSet());
    }

}
