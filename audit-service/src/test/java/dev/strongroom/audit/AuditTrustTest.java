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

    @Test
    void aChainRewrittenWithRecomputedHashesOrCutShortNoLongerMatchesItsAnchor() throws Exception {
        String actor = "anchor-" + UUID.randomUUID();
        String subject = "anchor-" + UUID.randomUUID(); // one Kafka key: one partition, one chain
        for (int i = 0; i < 6; i++) {
            String json = AuditJson.write(AuditEvent.of("secret.read").actor(AuditActor.user("u", actor)).resource("secret", subject)
                    .detail("attempt", (long) i).build("strongroom/test-service"));
            publishSigned("secret/" + subject, json, signature("test-service", json));
        }
        await().atMost(patience()).until(() -> eventsOf(actor).size() == 6);
        assertThat(integrity().getBoolean("ok")).isTrue();

        try (Connection c = database()) {
            int partition = partitionOf(c, actor);
            List<Object[]> original = chain(c, partition);
            long last = (long) original.getLast()[0];
            long target = original.stream().filter(row -> ((String) row[1]).contains(actor)).skip(2).map(row -> (long) row[0])
                    .findFirst().orElseThrow(); // our third event

            // 1. Rewrite a record and recompute every hash after it: each link holds, the anchor does not.
            byte[] previous = (byte[]) original.get((int) target - 2)[3]; // the hash of the record before it
            for (Object[] row : original.subList((int) target - 1, original.size())) {
                String event = (long) row[0] == target ? ((String) row[1]).replace("\"secret.read\"", "\"secret.listed\"") : (String) row[1];
                byte[] hash = dev.strongroom.audit.service.HashChain.link(previous, event);
                rewrite(c, partition, (long) row[0], event, previous, hash, (long) row[0] == target ? "secret.listed" : null);
                previous = hash;
            }
            try {
                var report = integrity();
                assertThat(report.getBoolean("ok")).isFalse();
                assertThat(report.getInt("firstBroken.partition")).isEqualTo(partition);
                assertThat(report.getLong("firstBroken.sequence")).isEqualTo(last);
                assertThat(report.getString("firstBroken.reason")).contains("anchored head").contains("rewritten");
            } finally {
                for (Object[] row : original) {
                    rewrite(c, partition, (long) row[0], (String) row[1], (byte[]) row[2], (byte[]) row[3],
                            (long) row[0] == target ? "secret.read" : null);
                }
            }
            assertThat(integrity().getBoolean("ok")).isTrue();

            // 2. Cut the tail: the chain ends before its anchored head.
            execute(c, "CREATE TEMPORARY TABLE tail AS SELECT * FROM audit_record WHERE chain_partition = " + partition
                    + " AND sequence > " + (last - 2));
            execute(c, "DELETE FROM audit_record WHERE chain_partition = " + partition + " AND sequence > " + (last - 2));
            try {
                var report = integrity();
                assertThat(report.getBoolean("ok")).isFalse();
                assertThat(report.getInt("firstBroken.partition")).isEqualTo(partition);
                assertThat(report.getLong("firstBroken.sequence")).isEqualTo(last - 1);
                assertThat(report.getString("firstBroken.reason")).contains("missing").contains("anchored head");

                // 3. ... and put back an anchor for the shorter chain, copied from an earlier state: this
                // instance has seen the chain anchored further, so the roll-back shows.
                execute(c, "CREATE TEMPORARY TABLE anchor_now AS SELECT * FROM audit_chain_anchor WHERE chain_partition = " + partition);
                byte[] shorterHash = (byte[]) original.get(original.size() - 3)[3];
                try (PreparedStatement update = c.prepareStatement(
                        "UPDATE audit_chain_anchor SET sequence = ?, hash = ?, mac = ? WHERE chain_partition = ?")) {
                    update.setLong(1, last - 2);
                    update.setBytes(2, shorterHash);
                    update.setBytes(3, anchorMac(partition, last - 2, shorterHash));
                    update.setInt(4, partition);
                    assertThat(update.executeUpdate()).isEqualTo(1);
                }
                var rolledBack = integrity();
                assertThat(rolledBack.getBoolean("ok")).isFalse();
                assertThat(rolledBack.getString("firstBroken.reason")).contains("went back");
                execute(c, "DELETE FROM audit_chain_anchor WHERE chain_partition = " + partition);
                execute(c, "INSERT INTO audit_chain_anchor SELECT * FROM anchor_now");
            } finally {
                execute(c, "INSERT INTO audit_record SELECT * FROM tail");
            }
            assertThat(integrity().getBoolean("ok")).isTrue();

            // 4. An anchor whose MAC was not made with the anchor key.
            execute(c, "UPDATE audit_chain_anchor SET mac = UNHEX(SHA2('forged', 256)) WHERE chain_partition = " + partition);
            try {
                var report = integrity();
                assertThat(report.getBoolean("ok")).isFalse();
                assertThat(report.getString("firstBroken.reason")).contains("MAC does not verify");
            } finally {
                execute(c, "UPDATE audit_chain_anchor a JOIN anchor_now n USING (chain_partition) SET a.mac = n.mac");
            }
        }
        assertThat(integrity().getBoolean("ok")).isTrue();
    }

    /** The anchor MAC as audit-service makes it, from the test configuration's anchor key (what an attacker lacks). */
    private static byte[] anchorMac(int partition, long sequence, byte[] hash) {
        String key = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("strongroom.audit.anchor.key", String.class);
        return new dev.strongroom.common.audit.EventMac(dev.strongroom.common.audit.EventMac.key(key, "anchor")).sign(
                "strongroom.audit.anchor.v1".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.ByteBuffer.allocate(12).putInt(partition).putLong(sequence).array(), hash);
    }

    private static int partitionOf(Connection c, String actor) throws Exception {
        try (PreparedStatement q = c.prepareStatement("SELECT DISTINCT chain_partition FROM audit_record WHERE actor = ?")) {
            q.setString(1, actor);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getInt(1);
            }
        }
    }

    /** {sequence, event, prev_hash, hash} of a whole chain, in order. */
    private static List<Object[]> chain(Connection c, int partition) throws Exception {
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(
                "SELECT sequence, event, prev_hash, hash FROM audit_record WHERE chain_partition = ? ORDER BY sequence")) {
            q.setInt(1, partition);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getBytes(3), rs.getBytes(4)});
                }
            }
        }
        assertThat(rows).isNotEmpty();
        assertThat((long) rows.getLast()[0]).isEqualTo(rows.size());
        return rows;
    }

    private static void rewrite(Connection c, int partition, long sequence, String event, byte[] prevHash, byte[] hash, String action)
            throws Exception {
        try (PreparedStatement update = c.prepareStatement("UPDATE audit_record SET event = ?, prev_hash = ?, hash = ?,"
                + " action = COALESCE(?, action) WHERE chain_partition = ? AND sequence = ?")) {
            update.setString(1, event);
            update.setBytes(2, prevHash);
            update.setBytes(3, hash);
            update.setString(4, action);
            update.setInt(5, partition);
            update.setLong(6, sequence);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    private static void execute(Connection c, String sql) throws Exception {
        try (var statement = c.createStatement()) {
            statement.execute(sql);
        }
    }

    private static io.restassured.path.json.JsonPath integrity() {
        return given().header("Authorization", AuditTestSupport.auditor()).get("/v1/audit/integrity").then().statusCode(200)
                .extract().jsonPath();
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
