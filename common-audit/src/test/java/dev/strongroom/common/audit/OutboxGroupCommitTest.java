package dev.strongroom.common.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link AuditOutbox#recordCommitted}: events of concurrent callers share inserts; each completes only once stored. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
class OutboxGroupCommitTest {

    @Inject
    AuditOutbox outbox;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    MeterRegistry registry;

    @Test
    void eventsArrivingWhileAnInsertIsInFlightShareTheNextOneAndCompleteOnlyOnceStored() throws Exception {
        String run = UUID.randomUUID().toString();
        double commits = commits();
        double events = events();
        List<CompletableFuture<AuditEvent>> waiting;
        try (Connection lock = dataSource.getConnection(); Statement s = lock.createStatement()) {
            s.execute("LOCK TABLES audit_outbox WRITE");
            try {
                waiting = IntStream.range(0, 11)
                        .mapToObj(i -> record(run, i))
                        .toList();
                Thread.sleep(500);
                assertThat(waiting).noneMatch(CompletableFuture::isDone); // nothing completes before it is stored
            } finally {
                s.execute("UNLOCK TABLES");
            }
        }
        List<AuditEvent> stored = waiting.stream().map(CompletableFuture::join).toList();

        assertThat(stored.stream().map(AuditEvent::id).collect(Collectors.toSet())).hasSize(11);
        assertThat(commits() - commits).isEqualTo(2); // the first alone (in flight), the ten behind it together
        assertThat(events() - events).isEqualTo(11);
        try (AuditTopicReader reader = new AuditTopicReader()) {
            Set<String> ids = stored.stream().map(AuditEvent::id).collect(Collectors.toSet());
            await().atMost(Duration.ofSeconds(30)).until(() -> reader.poll(Duration.ofMillis(200)).stream()
                    .filter(r -> ids.contains(AuditJson.read(r.value()).id()))
                    .count() == ids.size());
        }
    }

    @Test
    void whenTheInsertFailsEveryEventWaitingForItFails() throws Exception {
        String run = UUID.randomUUID().toString();
        double failures = registry.counter("strongroom.audit.outbox.group.commit.failures").count();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TRIGGER refuse_group BEFORE INSERT ON audit_outbox FOR EACH ROW"
                    + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit store refuses'");
        }
        List<CompletableFuture<AuditEvent>> waiting;
        try {
            waiting = IntStream.range(0, 10).mapToObj(i -> record(run, i)).toList();
            CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        } finally {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TRIGGER refuse_group");
            }
        }
        for (CompletableFuture<AuditEvent> one : waiting) {
            assertThatThrownBy(one::join)
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(OutboxGroupCommit.NotStored.class);
        }
        assertThat(registry.counter("strongroom.audit.outbox.group.commit.failures").count()).isGreaterThan(failures);
        assertThat(record(run, 99).join().id()).isNotBlank(); // stored again once the database accepts it
    }

    private CompletableFuture<AuditEvent> record(String run, int i) {
        return outbox.recordCommitted(AuditEvent.of("note.read").resource(AuditTarget.of("note", run + "-" + i)))
                .subscribeAsCompletionStage();
    }

    private double commits() {
        return registry.counter("strongroom.audit.outbox.group.commits").count();
    }

    private double events() {
        var summary = registry.find("strongroom.audit.outbox.group.commit.events").summary();
        return summary == null ? 0 : summary.totalAmount();
    }
}
