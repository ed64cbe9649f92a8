package dev.strongroom.common.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strongroom.common.id.UuidV7;
import dev.strongroom.testing.AuditTopicReader;
import dev.strongroom.testing.KafkaBroker;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Several relays (replicas) draining one outbox share the rows: every event is published once. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
class OutboxReplicasTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void replicasPublishEachRowExactlyOnce() throws Exception {
        String marker = "replica-" + UUID.randomUUID();
        Set<String> ids = new HashSet<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement(AuditOutbox.INSERT.replace(":id", "?").replace(":recordKey", "?")
                        .replace(":event", "?").replaceAll(":createdAt", "?"))) {
            c.setAutoCommit(false);
            for (int i = 0; i < 3000; i++) {
                AuditEvent event = AuditEvent.of("note.created").resource("note", marker + "-" + (i % 17)).build("strongroom/test");
                ids.add(event.id());
                LocalDateTime at = LocalDateTime.ofInstant(event.time(), ZoneOffset.UTC);
                insert.setBytes(1, UuidV7.toBytes(UUID.fromString(event.id())));
                insert.setString(2, event.key());
                insert.setString(3, AuditJson.write(event));
                insert.setObject(4, at);
                insert.setObject(5, at);
                insert.addBatch();
            }
            insert.executeBatch();
            c.commit();
        }

        // Three more relays beside the application's own, each with its own producer and connection.
        ExecutorService replicas = Executors.newFixedThreadPool(3);
        Map<Integer, Integer> publishedBy = new ConcurrentHashMap<>();
        List<Future<?>> running = new java.util.ArrayList<>();
        for (int r = 0; r < 3; r++) {
            int replica = r;
            running.add(replicas.submit(() -> {
                try (OutboxPublisher publisher = new OutboxPublisher(dataSource,
                        OutboxPublisher.producerFactory(OutboxPublisher.producerProperties(
                                Map.of("bootstrap.servers", KafkaBroker.shared().bootstrapServers()), "replica-" + replica, Duration.ofSeconds(10))),
                        "strongroom.audit.v1", 200, Duration.ofSeconds(10), new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)),
                        Clock.systemUTC(), null)) {
                    OutboxPublisher.Result result;
                    do {
                        result = publisher.publishDue();
                        publishedBy.merge(replica, result.published(), Integer::sum);
                    } while (result.published() > 0 || result.failure() != null);
                }
                return null;
            }));
        }
        for (Future<?> replica : running) {
            replica.get();
        }
        replicas.shutdown();
        assertThat(publishedBy.values().stream().mapToInt(Integer::intValue).sum()).as("rows taken by the extra relays").isPositive();

        try (AuditTopicReader reader = new AuditTopicReader()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> reader.poll(Duration.ofMillis(300)).stream()
                    .filter(r -> r.value().contains(marker)).count() >= ids.size());
            reader.poll(Duration.ofSeconds(1));
            Map<String, Long> copies = reader.seen().stream()
                    .filter(r -> r.value().contains(marker))
                    .map(r -> AuditJson.read(r.value()).id())
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(copies.keySet()).isEqualTo(ids);
            assertThat(copies.values()).allMatch(n -> n == 1);
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM audit_outbox")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }
}
