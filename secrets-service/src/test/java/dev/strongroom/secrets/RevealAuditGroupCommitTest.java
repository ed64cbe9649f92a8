package dev.strongroom.secrets;

import static dev.strongroom.secrets.Api.create;
import static dev.strongroom.secrets.Api.plaintext;
import static dev.strongroom.secrets.Api.reveal;
import static dev.strongroom.secrets.Api.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.testing.AppDatabase;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.KeyServiceTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code strongroom.secrets.reveal-audit=group} (the default): concurrent reveals share multi-row outbox inserts,
 * each reveal answers only after the insert holding its own event committed, and a failed insert fails every
 * reveal in it without showing a value.
 */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(value = KeyServiceTestResource.class,
        initArgs = @ResourceArg(name = "token-property", value = "strongroom.secrets.kms.token"))
class RevealAuditGroupCommitTest {

    private static final int CONCURRENT = 40;

    @Inject
    MeterRegistry registry;

    @Test
    void concurrentRevealsEachCommitTheirOwnEvent() throws Exception {
        String value = plaintext("grouped");
        String id = create("alice", uniqueName("grouped"), "production", value);
        reveal("alice", id).statusCode(200); // warm the data key
        double groupedBefore = groupedEvents();

        List<ExtractableResponse<Response>> answers = concurrently(id);

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.<String>path("value")).isEqualTo(value);
        });
        assertThat(groupedEvents() - groupedBefore).isEqualTo(CONCURRENT);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(AuditEvents.all("secret.read", id)).hasSize(CONCURRENT + 1));
        Set<String> eventIds = AuditEvents.all("secret.read", id).stream()
                .map(event -> event.path("id").asText())
                .collect(Collectors.toSet());
        assertThat(eventIds).hasSize(CONCURRENT + 1);
        JsonNode one = AuditEvents.all("secret.read", id).get(CONCURRENT);
        assertThat(one.path("data").path("outcome").asText()).isEqualTo("success");
        assertThat(one.path("data").path("details").path("accessVia").asText()).isEqualTo("owner");
        assertThat(one.path("data").path("actor").path("name").asText()).isEqualTo("alice");
    }

    @Test
    void whenTheirGroupCannotBeStoredEveryRevealFailsAndShowsNothing() throws Exception {
        String value = plaintext("grouped-fail");
        String id = create("alice", uniqueName("grouped-fail"), "production", value);
        reveal("alice", id).statusCode(200);
        AuditEvents.await("secret.read", id);
        int eventsBefore = AuditEvents.all("secret.read", id).size();
        try (Connection c = AppDatabase.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TRIGGER refuse_grouped_audit BEFORE INSERT ON audit_outbox FOR EACH ROW"
                    + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit store refuses'");
        }
        List<ExtractableResponse<Response>> answers;
        try {
            answers = concurrently(id);
        } finally {
            try (Connection c = AppDatabase.connect(); Statement s = c.createStatement()) {
                s.execute("DROP TRIGGER refuse_grouped_audit");
            }
        }

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.<String>path("type")).isEqualTo("https://strongroom.dev/problems/audit-unavailable");
            assertThat(answer.asString()).doesNotContain(value);
        });
        reveal("alice", id).statusCode(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(AuditEvents.all("secret.read", id)).hasSize(eventsBefore + 1));
    }

    private static List<ExtractableResponse<Response>> concurrently(String id) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
        try {
            List<Future<ExtractableResponse<Response>>> futures = IntStream.range(0, CONCURRENT)
                    .mapToObj(i -> pool.submit(() -> reveal("alice", id).extract()))
                    .toList();
            List<ExtractableResponse<Response>> answers = new java.util.ArrayList<>();
            for (Future<ExtractableResponse<Response>> future : futures) {
                answers.add(future.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private double groupedEvents() {
        var summary = registry.find("strongroom.audit.outbox.group.commit.events").summary();
        return summary == null ? 0 : summary.totalAmount();
    }
}
