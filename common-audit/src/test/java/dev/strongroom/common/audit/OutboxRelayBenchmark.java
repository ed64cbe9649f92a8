package dev.strongroom.common.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (surefire skips it by name): how fast one relay drains the outbox into
 * Kafka (acks=all, idempotent). Run with
 * <pre>./mvnw -o -pl common-audit test -Dtest=OutboxRelayBenchmark [-Dstrongroom.benchmark.events=100000]</pre>
 */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
class OutboxRelayBenchmark {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void measure() throws Exception {
        int events = Integer.getInteger("strongroom.benchmark.events", 100_000);
        long fill = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<AuditEvent> batch = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                batch.add(AuditEvent.of("secret.read").actor(AuditActor.user("u-" + (i % 500), "user-" + (i % 500)))
                        .resource(AuditTarget.of("secret", "s-" + (i % 5000), "team/db-" + (i % 5000)).inEnvironment("production").atVersion(1))
                        .requestId("req-" + i)
                        .build("strongroom/secrets-service"));
                if (batch.size() == 1000) {
                    OutboxStatements.insert(c, batch);
                    batch.clear();
                }
            }
            OutboxStatements.insert(c, batch);
            c.commit();
        }
        double fillSeconds = (System.nanoTime() - fill) / 1e9;
        long start = System.nanoTime();
        while (pending() > 0) {
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, """

                === Outbox relay benchmark (%d events, batch %s, %d cores) ===
                fill outbox (JDBC batches):        %8.0f events/s
                outbox -> Kafka (acks=all):        %8.0f events/s  (%.1f s)
                ===
                """, events, "500", Runtime.getRuntime().availableProcessors(), events / fillSeconds, events / seconds, seconds);
        assertThat(pending()).isZero();
    }

    private long pending() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM audit_outbox")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
