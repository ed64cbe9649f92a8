package dev.strongroom.audit;

import static dev.strongroom.audit.AuditTestSupport.database;
import static dev.strongroom.audit.AuditTestSupport.eventsOf;
import static dev.strongroom.audit.AuditTestSupport.patience;
import static dev.strongroom.audit.AuditTestSupport.publishSigned;
import static dev.strongroom.audit.AuditTestSupport.signature;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strongroom.common.audit.AuditActor;
import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.audit.AuditJson;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Only our services can put events in the log: a record must carry its producer's signature
 * (docs/audit.md, "Signed events"); anything else on the topic is refused, counted and kept apart.
 */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(HecTestResource.class)
class AuditTrustTest {

    @Test
    void eventsNotSignedByTheirProducerAreRefusedCountedAndKeptOutOfTheChain() throws Exception {
        String actor = "trust-" + UUID.randomUUID();
        Map<String, Double> before = rejected();

        String unsigned = event(actor, "unsigned", "strongroom/test-service");
        publishSigned("secret/unsigned", unsigned, null);
        String wrongKey = event(actor, "wrong-key", "strongroom/test-service");
        publishSigned("secret/wrong-key", wrongKey, signature(randomKey(), "intruder", wrongKey));
        // a genuine signature over another record: the edited record no longer matches it
        String genuine = event(actor, "edited", "strongroom/test-service");
        String edited = genuine.replace("\"success\"", "\"denied\"");
        publishSigned("secret/edited", edited, signature("test-service", genuine));
        // test-service's key cannot speak for audit-service
        String impersonating = event(actor, "impersonating", "strongroom/audit-service");
        publishSigned("secret/impersonating", impersonating, signature("test-service", impersonating));
        String unknown = event(actor, "unknown", "strongroom/intruder-service");
        publishSigned("secret/unknown", unknown, signature("test-service", unknown));
        String garbage = "{\"not\":\"an event " + actor + "\"}";
        publishSigned("junk", garbage, null);
        // and the one a relay sends
        String signed = event(actor, "signed", "strongroom/test-service");
        publishSigned("secret/signed", signed, signature("test-service", signed));

        await().atMost(patience()).until(() -> rejectedIn(actor).size() == 6 && eventsOf(actor).size() == 1);
        assertThat(eventsOf(actor)).extracting(e -> (Object) ((Map<?, ?>) ((Map<?, ?>) e.get("data")).get("resource")).get("id"))
                .containsExactly("signed");
        assertThat(rejectedIn(actor)).containsExactlyInAnyOrder(
                "unsigned: no strongroom-signature header",
                "forged: the signature is not the producer's",
                "forged: the signature is not the producer's",
                "forged: the signature is not the producer's",
                "unknown producer: no key for the event's source",
                "specversion is not 1.0");
        Map<String, Double> after = rejected();
        assertThat(after.get("unsigned") - before.getOrDefault("unsigned", 0.0)).isEqualTo(1.0);
        assertThat(after.get("forged") - before.getOrDefault("forged", 0.0)).isEqualTo(3.0);
        assertThat(after.get("unknown_producer") - before.getOrDefault("unknown_producer", 0.0)).isEqualTo(1.0);
        assertThat(after.get("malformed") - before.getOrDefault("malformed", 0.0)).isEqualTo(1.0);
        try (Connection c = database(); PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM audit_record WHERE event LIKE ?")) {
            q.setString(1, "%" + actor + "%");
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    static String event(String actor, String resourceId, String source) {
        return AuditJson.write(AuditEvent.of("secret.read").actor(AuditActor.user("u-" + actor, actor)).resource("secret", resourceId).build(source));
    }

    static String randomKey() {
        byte[] key = new byte[32];
        ThreadLocalRandom.current().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** strongroom_audit_events_rejected_total by reason. */
    static Map<String, Double> rejected() {
        String body = given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> counts = new java.util.HashMap<>();
        body.lines().filter(line -> line.startsWith("strongroom_audit_events_rejected_total{")).forEach(line -> {
            String reason = line.replaceAll(".*reason=\"([a-z_]+)\".*", "$1");
            counts.merge(reason, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
        });
        return counts;
    }

    /** Reasons of the records in audit_rejected whose payload mentions {@code marker}. */
    static List<String> rejectedIn(String marker) throws Exception {
        List<String> reasons = new ArrayList<>();
        try (Connection c = database(); PreparedStatement q = c.prepareStatement("SELECT reason FROM audit_rejected WHERE payload LIKE ?")) {
            q.setString(1, "%" + marker + "%");
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    reasons.add(rs.getString(1));
                }
            }
        }
        return reasons;
    }
}
