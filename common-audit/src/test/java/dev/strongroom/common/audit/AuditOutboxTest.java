package dev.strongroom.common.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.testing.AuditTopicReader;
import dev.strongroom.testing.KafkaBroker;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import dev.strongroom.testing.TestTokens;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.PrometheusText;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transactional outbox end to end, against real MariaDB and a real Kafka broker: events share
 * their transaction's fate, reach the topic as CloudEvents, and survive a broker outage.
 */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
class AuditOutboxTest {

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "strongroom.audit.signing.key")
    String signingKey;

    @AfterEach
    void brokerBack() throws Exception {
        KafkaBroker.shared().start();
    }

    @Test
    void publishesTheEventAsAStructuredCloudEvent() throws Exception {
        String token = TestTokens.builder().name("alice").subject("u-123").roles("user").sign();
        Map<String, String> created = given()
                .auth().oauth2(token)
                .header("X-Forwarded-For", "198.51.100.9, 203.0.113.7")
                .header("User-Agent", "strongroom-cli/1.0")
                .header("X-Request-Id", "req-envelope-1")
                .queryParam("text", "db/password")
                .post("/test/notes")
                .then().statusCode(200)
                .extract().as(Map.class);

        try (AuditTopicReader reader = new AuditTopicReader()) {
            ConsumerRecord<String, String> record = awaitEvent(reader, created.get("eventId"));
            assertThat(record.key()).isEqualTo("note/" + created.get("noteId"));
            assertThat(new String(record.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
                    .isEqualTo("application/cloudevents+json");
            // Signed with this service's key over the value's bytes, as audit-service checks it (docs/audit.md).
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(Base64.getDecoder().decode(signingKey), "HmacSHA256"));
            assertThat(record.headers().lastHeader("strongroom-signature")).isNotNull();
            assertThat(record.headers().lastHeader("strongroom-signature").value())
                    .isEqualTo(hmac.doFinal(record.value().getBytes(StandardCharsets.UTF_8)));

            JsonNode event = AuditJson.mapper().readTree(record.value());
            List<String> envelope = new ArrayList<>();
            event.fieldNames().forEachRemaining(envelope::add);
            assertThat(envelope).containsExactly("specversion", "id", "source", "type", "time", "subject", "datacontenttype", "data");
            assertThat(event.get("specversion").asText()).isEqualTo("1.0");
            assertThat(event.get("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            assertThat(event.get("source").asText()).isEqualTo("strongroom/common-audit-test");
            assertThat(event.get("type").asText()).isEqualTo("strongroom.note.created");
            assertThat(event.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(event.get("subject").asText()).isEqualTo("note/" + created.get("noteId"));
            assertThat(event.get("datacontenttype").asText()).isEqualTo("application/json");

            JsonNode data = event.get("data");
            List<String> dataFields = new ArrayList<>();
            data.fieldNames().forEachRemaining(dataFields::add);
            assertThat(dataFields).containsExactly("actor", "action", "outcome", "reason", "resource", "requestId", "details");
            assertThat(data.at("/actor/id").asText()).isEqualTo("u-123");
            assertThat(data.at("/actor/name").asText()).isEqualTo("alice");
            assertThat(data.at("/actor/type").asText()).isEqualTo("user");
            // The loopback peer is a trusted proxy (test config); the right-most untrusted hop is the client.
            assertThat(data.at("/actor/ip").asText()).isEqualTo("203.0.113.7");
            assertThat(data.at("/actor/userAgent").asText()).isEqualTo("strongroom-cli/1.0");
            assertThat(data.get("action").asText()).isEqualTo("note.created");
            assertThat(data.get("outcome").asText()).isEqualTo("success");
            assertThat(data.get("reason").isNull()).isTrue();
            assertThat(data.at("/resource/type").asText()).isEqualTo("note");
            assertThat(data.at("/resource/id").asText()).isEqualTo(created.get("noteId"));
            assertThat(data.at("/resource/name").asText()).isEqualTo("db/password");
            assertThat(data.get("requestId").asText()).isEqualTo("req-envelope-1");
            assertThat(data.at("/details/length").asLong()).isEqualTo(11);

            AuditEvent parsed = AuditJson.read(record.value());
            assertThat(parsed.data().outcome()).isEqualTo(Outcome.SUCCESS);
            assertThat(parsed.data().actor().type()).isEqualTo(ActorType.USER);
            assertThat(AuditJson.write(parsed)).isEqualTo(record.value());
        }
    }

    @Test
    void anAnonymousCallerIsRecordedAsAnonymous() throws Exception {
        Map<String, String> created = given().queryParam("text", "anon").post("/test/notes")
                .then().statusCode(200).extract().as(Map.class);
        try (AuditTopicReader reader = new AuditTopicReader()) {
            JsonNode data = AuditJson.mapper().readTree(awaitEvent(reader, created.get("eventId")).value()).get("data");
            assertThat(data.at("/actor/type").asText()).isEqualTo("anonymous");
            assertThat(data.at("/actor/name").isNull()).isTrue();
            assertThat(data.at("/actor/ip").asText()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
            assertThat(data.get("requestId").asText()).isNotBlank();
        }
    }

    @Test
    void anEventRecordedInARolledBackTransactionNeverAppears() throws Exception {
        given().queryParam("text", "rolled-back-note").queryParam("fail", true).post("/test/notes")
                .then().statusCode(409);
        Map<String, String> later = given().queryParam("text", "committed-after").post("/test/notes")
                .then().statusCode(200).extract().as(Map.class);

        try (AuditTopicReader reader = new AuditTopicReader()) {
            awaitEvent(reader, later.get("eventId"));
            // The relay publishes in id (time) order, so anything recorded before `later` has been published too.
            reader.poll(Duration.ofSeconds(1));
            assertThat(reader.seen()).noneMatch(r -> r.value().contains("rolled-back-note"));
        }
        assertThat(count("SELECT COUNT(*) FROM note WHERE text = 'rolled-back-note'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM audit_outbox WHERE event LIKE '%rolled-back-note%'")).isZero();
    }

    @Test
    void eventsRecordedWhileTheBrokerIsDownAllArriveExactlyOnceWhenItReturns() throws Exception {
        KafkaBroker.shared().stop();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(given().queryParam("text", "outage-" + i).post("/test/notes")
                    .then().statusCode(200).extract().path("eventId"));
        }
        // Requests succeed while Kafka is down; the events wait in the outbox.
        assertThat(count("SELECT COUNT(*) FROM audit_outbox")).isGreaterThanOrEqualTo(30);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(PrometheusText.scrape("strongroom_audit_outbox_failures_total")).isPositive());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(PrometheusText.scrape("strongroom_audit_outbox_pending")).isGreaterThanOrEqualTo(30));

        KafkaBroker.shared().start();

        try (AuditTopicReader reader = new AuditTopicReader()) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                List<String> seenIds = eventIds(reader.poll(Duration.ofMillis(200)));
                return seenIds.containsAll(ids);
            });
            reader.poll(Duration.ofSeconds(1));
            Map<String, Long> copies = eventIds(reader.seen()).stream()
                    .filter(ids::contains)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(copies).hasSize(30).allSatisfy((id, n) -> assertThat(n).as("copies of " + id).isEqualTo(1));
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(count("SELECT COUNT(*) FROM audit_outbox")).isZero());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(PrometheusText.scrape("strongroom_audit_outbox_pending")).isZero());
        assertThat(PrometheusText.scrape("strongroom_audit_outbox_published_total")).isGreaterThanOrEqualTo(30);
    }

    private static ConsumerRecord<String, String> awaitEvent(AuditTopicReader reader, String eventId) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ZERO)
                .until(() -> reader.poll(Duration.ofMillis(200)).stream()
                        .filter(r -> r.value().contains("\"id\":\"" + eventId + "\""))
                        .findFirst().orElse(null), r -> r != null);
    }

    private static List<String> eventIds(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> AuditJson.read(r.value()).id()).toList();
    }

    private long count(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
