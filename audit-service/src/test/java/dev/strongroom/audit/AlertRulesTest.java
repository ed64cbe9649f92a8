package dev.strongroom.audit;

import static dev.strongroom.audit.AuditTestSupport.auditor;
import static dev.strongroom.audit.AuditTestSupport.database;
import static dev.strongroom.audit.AuditTestSupport.eventsOf;
import static dev.strongroom.audit.AuditTestSupport.publishAll;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strongroom.common.audit.AuditActor;
import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.audit.AuditTarget;
import dev.strongroom.common.audit.Outcome;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The alert rules on the stream: each raises one {@code alert.raised} event (stored in the chain,
 * so also forwarded), counts in Prometheus and posts to the webhook; below threshold nothing fires.
 */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(HecTestResource.class)
class AlertRulesTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void fiveFailedLoginsForOneUserRaiseOneAlert() throws Exception {
        String user = "mallory-" + UUID.randomUUID();
        publishAll(IntStream.range(0, 7)
                .mapToObj(i -> AuditEvent.of("user.login_failed").actor(AuditActor.user(null, user)).resource("user", "u-" + user)
                        .failure("bad credentials"))
                .toList());
        Map<String, Object> alert = awaitAlert("failed_logins", user);
        Map<?, ?> details = details(alert);
        assertThat(((Number) details.get("count")).longValue()).isGreaterThanOrEqualTo(5);
        assertThat(((Number) details.get("threshold")).longValue()).isEqualTo(5);
        assertThat(((Number) details.get("windowSeconds")).longValue()).isEqualTo(300);
        assertThat(((Map<?, ?>) ((Map<?, ?>) alert.get("data")).get("actor")).get("name")).isEqualTo("audit-service");
        assertThat(alert.get("source")).isEqualTo("strongroom/audit-service");

        await().atMost(PATIENCE).until(() -> WebhookReceiver.shared().texts().stream().anyMatch(t -> t.contains("failed_logins") && t.contains(user)));
        String metrics = given().accept("text/plain").get("/q/metrics").then().extract().asString();
        assertThat(metrics).containsPattern("strongroom_audit_alerts_raised_total\\{[^}]*rule=\"failed_logins\"[^}]*\\} [1-9]");
        // Seven failures in one window are one incident.
        assertThat(alerts("failed_logins", user)).hasSize(1);
    }

    @Test
    void fiftyReadsByOneActorInAMinuteRaiseAnAlertButFortyNineDoNot() throws Exception {
        String greedy = "greedy-" + UUID.randomUUID();
        String modest = "modest-" + UUID.randomUUID();
        publishAll(IntStream.range(0, 50).mapToObj(i -> read(greedy, i)).toList());
        publishAll(IntStream.range(0, 49).mapToObj(i -> read(modest, i)).toList());
        awaitAlert("read_burst", greedy);
        await().atMost(PATIENCE).until(() -> eventsOf(modest).size() == 49);
        // Rules run in the transaction that stores the events: once they are stored, the verdict is in.
        assertThat(raisedState("read_burst", modest)).isZero();
    }

    @Test
    void tenDeniedAccessesByOneActorRaiseAnAlert() {
        String prober = "prober-" + UUID.randomUUID();
        publishAll(IntStream.range(0, 10)
                .mapToObj(i -> AuditEvent.of("secret.access_denied").actor(AuditActor.user("u", prober)).resource("secret", "s-" + i)
                        .outcome(Outcome.DENIED).reason("no READ grant"))
                .toList());
        awaitAlert("denied_spike", prober);
    }

    @Test
    void aShareOfAProductionSecretRaisesAnAlertAndAStagingOneDoesNot() throws Exception {
        String prod = "share-prod-" + UUID.randomUUID();
        String staging = "share-staging-" + UUID.randomUUID();
        publishAll(List.of(
                AuditEvent.of("share.created").actor(AuditActor.user("u", "sharer")).resource(AuditTarget.of("share", prod).inEnvironment("production")),
                AuditEvent.of("share.created").actor(AuditActor.user("u", "sharer")).resource(AuditTarget.of("share", staging).inEnvironment("staging"))));
        awaitAlert("production_share", prod);
        assertThat(raisedState("production_share", staging)).isZero();
    }

    private static AuditEvent.Builder read(String actor, int i) {
        return AuditEvent.of("secret.read").actor(AuditActor.user("u-" + actor, actor)).resource("secret", actor + "-" + (i % 5));
    }

    private static Map<String, Object> awaitAlert(String rule, String subject) {
        await().atMost(PATIENCE).until(() -> !alerts(rule, subject).isEmpty());
        return alerts(rule, subject).getFirst();
    }

    private static List<Map<String, Object>> alerts(String rule, String subject) {
        List<Map<String, Object>> items = given().header("Authorization", auditor()).queryParam("action", "alert.raised")
                .queryParam("limit", 500).get("/v1/audit/events").then().statusCode(200).extract().jsonPath().getList("items");
        return items.stream().filter(a -> rule.equals(details(a).get("rule")) && subject.equals(details(a).get("subject"))).toList();
    }

    private static Map<?, ?> details(Map<String, Object> alert) {
        return (Map<?, ?>) ((Map<?, ?>) alert.get("data")).get("details");
    }

    private static long raisedState(String rule, String subject) throws Exception {
        try (Connection c = database(); PreparedStatement q = c.prepareStatement(
                "SELECT COALESCE(SUM(raised_count), 0) FROM alert_state WHERE rule = ? AND subject_key = ?")) {
            q.setString(1, rule);
            q.setString(2, subject);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
