package dev.strongroom.audit;

import dev.strongroom.testing.HecReceiver;
import static dev.strongroom.audit.AuditTestSupport.auditor;
import static dev.strongroom.audit.AuditTestSupport.database;
import static dev.strongroom.audit.AuditTestSupport.eventsOf;
import static dev.strongroom.audit.AuditTestSupport.publishAll;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.audit.messaging.AuditLogConsumer;
import dev.strongroom.audit.service.HecForwarder;
import dev.strongroom.common.audit.ActorType;
import dev.strongroom.common.audit.AuditActor;
import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.audit.AuditTarget;
import dev.strongroom.common.id.UuidV7;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Forwarding to Splunk HEC (a protocol-faithful test receiver): format, outages, refusals, restarts. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(HecTestResource.class)
class HecForwardingTest {

    private static final Duration PATIENCE = Duration.ofSeconds(45);

    @Inject
    HecForwarder forwarder;

    @Inject
    AuditLogConsumer consumer;

    private final HecReceiver hec = HecReceiver.shared();
    private final String token = HecReceiver.shared().token();

    @AfterEach
    void receiverBackToNormal() {
        hec.start();
        hec.busy(false);
        hec.delay(0);
        hec.acceptToken(token);
        forwarder.start();
        consumer.startConsuming();
    }

    @Test
    void forwardsEachEventAsASplunkEnvelopeWithCimFields() {
        String user = "cim-" + UUID.randomUUID();
        List<AuditEvent> sent = publishAll(List.of(
                AuditEvent.of("secret.read").actor(new AuditActor("u-1", user, ActorType.USER, "203.0.113.7", "strongroom-cli/1.0"))
                        .resource(AuditTarget.of("secret", "s-" + user, "db/password").inEnvironment("production").atVersion(3)),
                AuditEvent.of("user.login_failed").actor(new AuditActor(null, user, ActorType.USER, "198.51.100.2", null))
                        .resource(AuditTarget.of("user", "u-1", user)).failure("bad credentials"),
                AuditEvent.of("secret.access_changed").actor(AuditActor.user("u-1", user)).resource("secret", "s-" + user)));
        Map<String, JsonNode> byId = awaitIndexed(sent);

        JsonNode read = byId.get(sent.get(0).id());
        assertThat(read.path("time").decimalValue()).isEqualByComparingTo(BigDecimal.valueOf(sent.get(0).time().toEpochMilli()).movePointLeft(3));
        assertThat(read.path("host").asText()).isEqualTo("test-service");
        assertThat(read.path("source").asText()).isEqualTo("strongroom");
        assertThat(read.path("sourcetype").asText()).isEqualTo("strongroom:audit");
        assertThat(read.path("index").asText()).isEqualTo("strongroom_test");
        JsonNode event = read.path("event");
        assertThat(event.path("id").asText()).isEqualTo(sent.get(0).id());
        assertThat(event.path("type").asText()).isEqualTo("strongroom.secret.read");
        assertThat(event.path("action").asText()).isEqualTo("read");
        assertThat(event.path("status").asText()).isEqualTo("success");
        assertThat(event.path("user").asText()).isEqualTo(user);
        assertThat(event.path("src").asText()).isEqualTo("203.0.113.7");
        assertThat(event.path("app").asText()).isEqualTo("strongroom");
        assertThat(event.path("dest").asText()).isEqualTo("test-service");
        assertThat(event.path("object").asText()).isEqualTo("db/password");
        assertThat(event.path("object_category").asText()).isEqualTo("secret");
        assertThat(event.path("object_id").asText()).isEqualTo("s-" + user);
        assertThat(event.path("signature").asText()).isEqualTo("secret.read");
        assertThat(event.path("vendor_product").asText()).isEqualTo("Strongroom");
        assertThat(event.path("change_type").asText()).isEqualTo("application");
        assertThat(event.path("http_user_agent").asText()).isEqualTo("strongroom-cli/1.0");
        assertThat(event.path("data").path("resource").path("version").asInt()).isEqualTo(3);
        assertThat(event.path("chain").path("hash").asText()).matches("[0-9a-f]{64}");
        assertThat(event.path("chain").path("sequence").asLong()).isPositive();
        assertThat(read.path("fields").path("strongroom_environment").asText()).isEqualTo("production");
        assertThat(read.path("fields").path("strongroom_type").asText()).isEqualTo("strongroom.secret.read");

        JsonNode login = byId.get(sent.get(1).id()).path("event");
        assertThat(login.path("action").asText()).isEqualTo("failure");
        assertThat(login.path("authentication_method").asText()).isEqualTo("password");
        assertThat(login.path("user").asText()).isEqualTo(user);
        assertThat(login.path("src").asText()).isEqualTo("198.51.100.2");
        assertThat(login.path("reason").asText()).isEqualTo("bad credentials");
        assertThat(login.has("change_type")).isFalse();

        assertThat(byId.get(sent.get(2).id()).path("event").path("action").asText()).isEqualTo("acl_modified");
        assertThat(hec.authorizations()).isNotEmpty().allMatch(("Splunk " + token)::equals);
    }

    @Test
    void anOutageOfTheReceiverDelaysButLosesNothing() {
        hec.stop();
        List<AuditEvent> sent = publishAll(builders("outage", 60));
        await().atMost(PATIENCE).until(() -> eventsOf(actorOf(sent)).size() == 60);
        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonPath status = forwarding();
            assertThat(status.getString("state")).isEqualTo("retrying");
            assertThat(status.getLong("pending")).isGreaterThanOrEqualTo(60);
            assertThat(status.getString("lastError")).contains("HEC unreachable");
        });

        hec.start();
        awaitIndexed(sent);
        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonPath status = forwarding();
            assertThat(status.getLong("pending")).isZero();
            assertThat(status.getString("lastError")).isNull();
            assertThat(status.getString("state")).isIn("forwarding", "idle");
        });
    }

    @Test
    void aBusyReceiverIsRetriedWithBackoff() {
        hec.busy(true);
        int before = hec.requests();
        List<AuditEvent> sent = publishAll(builders("busy", 10));
        await().atMost(PATIENCE).until(() -> hec.requests() >= before + 3);
        assertThat(hec.indexedWithEventIdIn(ids(sent))).isEmpty();
        hec.busy(false);
        awaitIndexed(sent);
    }

    @Test
    void aRefusedTokenBlocksForwardingWithoutParkingEvents() throws Exception {
        hec.acceptToken("rotated-" + UUID.randomUUID());
        List<AuditEvent> sent = publishAll(builders("token", 10));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(forwarding().getString("state")).isEqualTo("blocked"));
        assertThat(forwarding().getString("lastError")).contains("403").contains("code 4");
        assertThat(forwarding().getString("lastError")).doesNotContain(token);
        assertThat(deadLetters(sent)).isEmpty();
        await().atMost(PATIENCE).until(() -> alertsFor("hec_refused").size() >= 1);

        hec.acceptToken(token);
        awaitIndexed(sent);
        assertThat(deadLetters(sent)).isEmpty();
    }

    @Test
    void anEventHecRefusesIsDeadLetteredAndTheRestFlowsOn() throws Exception {
        String actor = "poison-" + UUID.randomUUID();
        List<AuditEvent> sent = publishAll(IntStream.range(0, 6)
                .mapToObj(i -> AuditEvent.of("secret.updated").actor(AuditActor.user("u", actor))
                        .resource(AuditTarget.of("secret", "same-chain-" + actor, i == 2 ? HecReceiver.POISON + "-name" : "ok-" + i)))
                .toList());
        AuditEvent poison = sent.get(2);
        List<AuditEvent> good = sent.stream().filter(e -> e != poison).toList();
        awaitIndexed(good);
        assertThat(hec.indexedWithEventIdIn(Set.of(poison.id()))).isEmpty();

        await().atMost(PATIENCE).until(() -> deadLetters(List.of(poison)).size() == 1);
        assertThat(deadLetters(List.of(poison)).getFirst()).isEqualTo("400/6");
        await().atMost(PATIENCE).until(() -> alertsFor("hec_dead_letter").stream()
                .anyMatch(a -> poison.id().equals(((Map<?, ?>) ((Map<?, ?>) a.get("data")).get("details")).get("triggerEventId"))));
        assertThat(forwarding().getLong("deadLettered")).isGreaterThanOrEqualTo(1);
        String metrics = given().accept("text/plain").get("/q/metrics").then().extract().asString();
        assertThat(metrics).containsPattern("strongroom_audit_hec_dead_letters_total(\\{[^}]*\\})? [1-9]");
    }

    @Test
    void aRestartMidStreamResumesFromTheStoredPosition() {
        hec.delay(150);
        List<AuditEvent> sent = publishAll(builders("restart", 400));
        await().atMost(PATIENCE).until(() -> hec.indexedWithEventIdIn(ids(sent)).size() >= 50);

        // Stop both halves mid-stream: in-memory state is gone, only the database and Kafka remain.
        consumer.stopConsuming();
        forwarder.stop();
        int delivered = hec.indexedWithEventIdIn(ids(sent)).size();
        assertThat(delivered).isLessThan(400);
        hec.delay(0);
        consumer.startConsuming();
        forwarder.start();

        Map<String, JsonNode> byId = awaitIndexed(sent);
        assertThat(byId).hasSize(400);
        await().atMost(PATIENCE).until(() -> eventsOf(actorOf(sent)).size() == 400);
        assertThat(eventsOf(actorOf(sent))).hasSize(400);
    }

    static List<AuditEvent.Builder> builders(String prefix, int count) {
        String actor = prefix + "-" + UUID.randomUUID();
        return IntStream.range(0, count)
                .mapToObj(i -> AuditEvent.of("secret.read").actor(AuditActor.user("u-" + actor, actor)).resource("secret", actor + "-" + (i % 9)))
                .toList();
    }

    private Map<String, JsonNode> awaitIndexed(List<AuditEvent> sent) {
        Set<String> ids = ids(sent);
        await().atMost(PATIENCE).until(() -> hec.indexedWithEventIdIn(ids).stream().map(e -> e.path("event").path("id").asText())
                .collect(Collectors.toSet()).size() == ids.size());
        return hec.indexedWithEventIdIn(ids).stream()
                .collect(Collectors.toMap(e -> e.path("event").path("id").asText(), Function.identity(), (a, b) -> a));
    }

    private static Set<String> ids(List<AuditEvent> events) {
        return events.stream().map(AuditEvent::id).collect(Collectors.toSet());
    }

    private static String actorOf(List<AuditEvent> events) {
        return events.getFirst().data().actor().name();
    }

    private static JsonPath forwarding() {
        return given().header("Authorization", auditor()).get("/v1/audit/forwarding").then().statusCode(200).extract().jsonPath();
    }

    private static List<Map<String, Object>> alertsFor(String rule) {
        List<Map<String, Object>> items = given().header("Authorization", auditor()).queryParam("action", "alert.raised")
                .queryParam("limit", 500).get("/v1/audit/events").then().statusCode(200).extract().jsonPath().getList("items");
        return items.stream().filter(a -> rule.equals(((Map<?, ?>) ((Map<?, ?>) a.get("data")).get("details")).get("rule"))).toList();
    }

    private static List<String> deadLetters(List<AuditEvent> events) throws Exception {
        List<String> found = new java.util.ArrayList<>();
        try (Connection c = database(); PreparedStatement q = c.prepareStatement(
                "SELECT http_status, hec_code FROM hec_dead_letter WHERE event_id = ?")) {
            for (AuditEvent event : events) {
                q.setBytes(1, UuidV7.toBytes(UUID.fromString(event.id())));
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getInt(1) + "/" + rs.getInt(2));
                    }
                }
            }
        }
        return found;
    }
}
