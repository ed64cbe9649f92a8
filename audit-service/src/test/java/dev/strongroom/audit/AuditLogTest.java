package dev.strongroom.audit;

import static dev.strongroom.audit.AuditTestSupport.auditor;
import static dev.strongroom.audit.AuditTestSupport.database;
import static dev.strongroom.audit.AuditTestSupport.eventsOf;
import static dev.strongroom.audit.AuditTestSupport.patience;
import static dev.strongroom.audit.AuditTestSupport.publish;
import static dev.strongroom.audit.AuditTestSupport.publishAll;
import static dev.strongroom.audit.AuditTestSupport.publishRaw;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.strongroom.audit.service.CanonicalJson;
import dev.strongroom.audit.service.HashChain;
import dev.strongroom.common.audit.AuditActor;
import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.audit.AuditJson;
import dev.strongroom.common.audit.AuditTarget;
import dev.strongroom.common.id.UuidV7;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import dev.strongroom.testing.PrometheusText;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Events from Kafka become one hash-chained record each, queryable and verifiable. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(HecTestResource.class)
class AuditLogTest {

    @Test
    void storesEachEventOnceAndLinksItToItsPredecessor() throws Exception {
        String actor = "chain-" + UUID.randomUUID();
        List<AuditEvent> events = publishAll(IntStream.range(0, 40)
                .mapToObj(i -> AuditEvent.of("secret.updated").actor(AuditActor.user("u-" + actor, actor))
                        .resource(AuditTarget.of("secret", "s-" + (i % 7), "app/db-" + i)).detail("attempt", (long) i))
                .toList());
        // The relay may publish an event twice (crash between broker ack and delete): the log keeps one.
        for (AuditEvent duplicate : events.subList(0, 10)) {
            publishRaw(duplicate.key(), AuditJson.write(duplicate));
        }

        await().atMost(patience()).until(() -> eventsOf(actor).size() >= 40);
        assertThat(eventsOf(actor)).hasSize(40);

        try (Connection c = database(); PreparedStatement q = c.prepareStatement(
                "SELECT chain_partition, sequence, event, prev_hash, hash, event_id FROM audit_record ORDER BY chain_partition, sequence");
                ResultSet rs = q.executeQuery()) {
            int partition = -1;
            long sequence = 0;
            byte[] previous = HashChain.GENESIS;
            int mine = 0;
            while (rs.next()) {
                if (rs.getInt(1) != partition) {
                    partition = rs.getInt(1);
                    sequence = 0;
                    previous = HashChain.GENESIS;
                }
                assertThat(rs.getLong(2)).isEqualTo(++sequence);
                assertThat(rs.getBytes(4)).isEqualTo(previous);
                assertThat(rs.getBytes(5)).isEqualTo(HashChain.link(previous, rs.getString(3)));
                assertThat(CanonicalJson.of(rs.getString(3))).isEqualTo(rs.getString(3));
                previous = rs.getBytes(5);
                if (rs.getString(3).contains(actor)) {
                    mine++;
                }
            }
            assertThat(mine).isEqualTo(40);
        }
    }

    @Test
    void eventsDeliveredAgainLongAfterTheyWereStoredAreDroppedWhileNewOnesAreChained() throws Exception {
        String actor = "again-" + UUID.randomUUID();
        List<AuditEvent> first = publishAll(IntStream.range(0, 6)
                .mapToObj(i -> AuditEvent.of("secret.read").actor(AuditActor.user("u-" + actor, actor))
                        .resource(AuditTarget.of("secret", "s-" + i, "app/again-" + i)))
                .toList());
        await().atMost(patience()).until(() -> eventsOf(actor).size() == 6);
        double duplicatesBefore = duplicatesDropped();

        // Already stored: the optimistic insert meets the unique key and is redone without them.
        for (AuditEvent duplicate : first) {
            publishRaw(duplicate.key(), AuditJson.write(duplicate));
        }
        List<AuditEvent> later = publishAll(IntStream.range(0, 6)
                .mapToObj(i -> AuditEvent.of("secret.updated").actor(AuditActor.user("u-" + actor, actor))
                        .resource(AuditTarget.of("secret", "s-" + i, "app/again-" + i)))
                .toList());

        await().atMost(patience()).until(() -> eventsOf(actor).size() >= 12);
        Thread.sleep(1000); // a late duplicate would show up now
        List<String> ids = eventsOf(actor).stream().map(event -> (String) event.get("id")).toList();
        assertThat(ids).hasSize(12).doesNotHaveDuplicates();
        assertThat(ids).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(first.stream(), later.stream()).map(event -> event.id().toString()).toList());
        assertThat(duplicatesDropped() - duplicatesBefore).isGreaterThanOrEqualTo(6);
        assertThat(integrity().getBoolean("ok")).isTrue();
    }

    private static double duplicatesDropped() {
        return PrometheusText.scrape("strongroom_audit_log_duplicates_total");
    }

    @Test
    void answersWithTheCloudEventPlusItsPlaceInTheChain() {
        String actor = "shape-" + UUID.randomUUID();
        AuditEvent sent = publish(AuditEvent.of("secret.read").actor(new AuditActor("u-9", actor, dev.strongroom.common.audit.ActorType.USER,
                "203.0.113.7", "curl/8")).resource(AuditTarget.of("secret", "s-42", "db/password").inEnvironment("production").atVersion(3))
                .requestId("req-1"));
        await().atMost(patience()).until(() -> eventsOf(actor).size() == 1);

        given().header("Authorization", auditor()).queryParam("actor", actor).get("/v1/audit/events").then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("nextCursor", equalTo(null))
                .body("items[0].specversion", equalTo("1.0"))
                .body("items[0].id", equalTo(sent.id()))
                .body("items[0].source", equalTo("strongroom/test-service"))
                .body("items[0].type", equalTo("strongroom.secret.read"))
                .body("items[0].time", equalTo(AuditJson.format(sent.time())))
                .body("items[0].subject", equalTo("secret/s-42"))
                .body("items[0].datacontenttype", equalTo("application/json"))
                .body("items[0].data.actor.ip", equalTo("203.0.113.7"))
                .body("items[0].data.resource.environment", equalTo("production"))
                .body("items[0].data.resource.version", equalTo(3))
                .body("items[0].data.requestId", equalTo("req-1"))
                .body("items[0].sequence", org.hamcrest.Matchers.greaterThan(0))
                .body("items[0].hash", org.hamcrest.Matchers.matchesPattern("[0-9a-f]{64}"));
    }

    @Test
    void filtersAndPagesNewestFirst() {
        String actor = "filter-" + UUID.randomUUID();
        String other = "other-" + UUID.randomUUID();
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.HOURS);
        List<AuditEvent.Builder> builders = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            builders.add(AuditEvent.of(i % 3 == 0 ? "secret.read" : "secret.updated")
                    .actor(AuditActor.user("u-" + actor, actor))
                    .resource(AuditTarget.of("secret", i % 2 == 0 ? "even-" + actor : "odd-" + actor))
                    .outcome(i % 4 == 0 ? dev.strongroom.common.audit.Outcome.DENIED : dev.strongroom.common.audit.Outcome.SUCCESS)
                    .time(base.plusSeconds(i * 60L)));
        }
        builders.add(AuditEvent.of("secret.read").actor(AuditActor.user("u-" + other, other)).resource("secret", "even-" + actor).time(base));
        List<AuditEvent> sent = publishAll(builders);
        await().atMost(patience()).until(() -> eventsOf(actor).size() == 12 && eventsOf(other).size() == 1);

        List<Map<String, Object>> all = eventsOf(actor);
        List<String> times = all.stream().map(e -> (String) e.get("time")).toList();
        assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(all.getFirst().get("id")).isEqualTo(sent.get(11).id());

        assertThat(query(Map.of("actor", actor, "action", "secret.read"))).hasSize(4);
        assertThat(query(Map.of("actor", actor, "action", "strongroom.secret.read"))).hasSize(4);
        assertThat(query(Map.of("resourceId", "even-" + actor))).hasSize(7);
        assertThat(query(Map.of("actor", actor, "outcome", "denied"))).hasSize(3);
        assertThat(query(Map.of("actor", actor, "from", base.plusSeconds(120).toString(), "to", base.plusSeconds(300).toString())))
                .extracting(e -> e.get("id")).containsExactly(sent.get(4).id(), sent.get(3).id(), sent.get(2).id());

        // Pages of 5 walk all 12, newest first, without overlap.
        List<Object> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().header("Authorization", auditor()).queryParam("actor", actor).queryParam("limit", 5);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.get("/v1/audit/events").then().statusCode(200).extract().jsonPath();
            paged.addAll(page.getList("items.id"));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(paged).containsExactlyElementsOf(all.stream().map(e -> e.get("id")).toList());
    }

    @Test
    void refusesBadQueriesWithProblemJson() {
        for (Map.Entry<String, String> bad : List.of(Map.entry("limit", "0"), Map.entry("limit", "501"), Map.entry("outcome", "maybe"),
                Map.entry("from", "yesterday"), Map.entry("cursor", "not-a-cursor"))) {
            given().header("Authorization", auditor()).queryParam(bad.getKey(), bad.getValue()).get("/v1/audit/events").then()
                    .statusCode(422)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo(bad.getKey()));
        }
        given().header("Authorization", auditor()).queryParam("limit", "many").get("/v1/audit/events").then()
                .statusCode(org.hamcrest.Matchers.either(equalTo(400)).or(equalTo(404)))
                .contentType("application/problem+json");
    }

    @Test
    void keepsRecordsThatAreNotAuditEventsOutOfTheChain() throws Exception {
        String actor = "after-garbage-" + UUID.randomUUID();
        publishRaw("junk", "this is not json " + actor);
        publishRaw("junk", "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"other.thing\",\"marker\":\"" + actor + "\"}");
        publish(AuditEvent.of("secret.created").actor(AuditActor.user("u", actor)).resource("secret", "s-1"));
        await().atMost(patience()).until(() -> eventsOf(actor).size() == 1);
        try (Connection c = database(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT reason FROM audit_rejected WHERE payload LIKE '%" + actor + "%' ORDER BY id")) {
            List<String> reasons = new ArrayList<>();
            while (rs.next()) {
                reasons.add(rs.getString(1));
            }
            assertThat(reasons).hasSize(2);
            assertThat(reasons.get(1)).contains("type");
        }
        assertThat(integrity().getBoolean("ok")).isTrue();
    }

    @Test
    void aBatchTheDatabaseRefusesIsRetriedUntilStoredWithoutLossOrDuplicates() throws Exception {
        String actor = "retry-" + UUID.randomUUID();
        String poison = "explode-" + UUID.randomUUID();
        double failuresBefore = PrometheusText.scrape("strongroom_audit_log_failures_total");
        try (Connection c = database(); Statement s = c.createStatement()) {
            s.execute("CREATE TRIGGER refuse_" + poison.substring(8, 16) + " BEFORE INSERT ON audit_record FOR EACH ROW"
                    + " IF NEW.actor = '" + poison + "' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by test'; END IF");
            try {
                List<AuditEvent.Builder> builders = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    builders.add(AuditEvent.of("secret.read").actor(AuditActor.user("u", i == 10 ? poison : actor))
                            .resource("secret", "retry-" + (i % 5)));
                }
                publishAll(builders);
                await().atMost(patience()).until(() -> PrometheusText.scrape("strongroom_audit_log_failures_total") >= failuresBefore + 2);
                assertThat(eventsOf(poison)).isEmpty();
            } finally {
                s.execute("DROP TRIGGER refuse_" + poison.substring(8, 16));
            }
        }
        await().atMost(patience()).until(() -> eventsOf(poison).size() == 1 && eventsOf(actor).size() == 29);
        Thread.sleep(500);
        assertThat(eventsOf(actor)).hasSize(29);
        assertThat(eventsOf(poison)).hasSize(1);
        assertThat(integrity().getBoolean("ok")).isTrue();
    }

    @Test
    void aTamperedRecordBreaksIntegrityAtThatRecord() throws Exception {
        String actor = "tamper-" + UUID.randomUUID();
        List<AuditEvent> sent = publishAll(IntStream.range(0, 5)
                .mapToObj(i -> AuditEvent.of("secret.read").actor(AuditActor.user("u", actor)).resource("secret", "tamper-same-key"))
                .toList());
        await().atMost(patience()).until(() -> eventsOf(actor).size() == 5);
        assertThat(integrity().getBoolean("ok")).isTrue();
        byte[] target = UuidV7.toBytes(UUID.fromString(sent.get(2).id()));

        try (Connection c = database()) {
            long[] place = place(c, target);
            // 1. Edit the stored event: its hash no longer matches.
            update(c, "UPDATE audit_record SET event = REPLACE(event, '\"secret.read\"', '\"secret.listed\"') WHERE event_id = ?", target);
            try {
                var report = integrity();
                assertThat(report.getBoolean("ok")).isFalse();
                assertThat(report.getInt("firstBroken.partition")).isEqualTo(place[0]);
                assertThat(report.getLong("firstBroken.sequence")).isEqualTo(place[1]);
                assertThat(report.getString("firstBroken.eventId")).isEqualTo(sent.get(2).id());
                assertThat(report.getString("firstBroken.reason")).contains("hash");
                // The metrics the StrongroomAuditChainBroken alert reads say so too.
                assertThat(PrometheusText.scrape("strongroom_audit_integrity_broken")).isEqualTo(1.0);
                assertThat(PrometheusText.scrape("strongroom_audit_integrity_last_verified_seconds")).isGreaterThan(0.0);
            } finally {
                update(c, "UPDATE audit_record SET event = REPLACE(event, '\"secret.listed\"', '\"secret.read\"') WHERE event_id = ?", target);
            }
            assertThat(integrity().getBoolean("ok")).isTrue();
            assertThat(PrometheusText.scrape("strongroom_audit_integrity_broken")).isEqualTo(0.0);

            // 2. Hide the record from queries by editing an indexed column.
            update(c, "UPDATE audit_record SET actor = 'someone-else' WHERE event_id = ?", target);
            try {
                var report = integrity();
                assertThat(report.getBoolean("ok")).isFalse();
                assertThat(report.getString("firstBroken.eventId")).isEqualTo(sent.get(2).id());
                assertThat(report.getString("firstBroken.reason")).contains("indexed columns");
            } finally {
                try (PreparedStatement restore = c.prepareStatement("UPDATE audit_record SET actor = ? WHERE event_id = ?")) {
                    restore.setString(1, actor);
                    restore.setBytes(2, target);
                    restore.executeUpdate();
                }
            }

            // 3. Remove the record: the chain has a gap where it was.
            c.createStatement().execute("CREATE TEMPORARY TABLE removed AS SELECT * FROM audit_record WHERE event_id = 0x"
                    + java.util.HexFormat.of().formatHex(target));
            update(c, "DELETE FROM audit_record WHERE event_id = ?", target);
            try {
                var report = integrity();
                assertThat(report.getBoolean("ok")).isFalse();
                assertThat(report.getInt("firstBroken.partition")).isEqualTo(place[0]);
                assertThat(report.getLong("firstBroken.sequence")).isEqualTo(place[1] + 1);
                assertThat(report.getString("firstBroken.reason")).contains("sequence " + place[1] + " is missing");
            } finally {
                c.createStatement().execute("INSERT INTO audit_record SELECT * FROM removed");
            }
        }
        var report = integrity();
        assertThat(report.getBoolean("ok")).isTrue();
        assertThat(report.getLong("checked")).isGreaterThanOrEqualTo(5);
    }

    private static long[] place(Connection c, byte[] eventId) throws Exception {
        try (PreparedStatement q = c.prepareStatement("SELECT chain_partition, sequence FROM audit_record WHERE event_id = ?")) {
            q.setBytes(1, eventId);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return new long[] {rs.getInt(1), rs.getLong(2)};
            }
        }
    }

    private static void update(Connection c, String sql, byte[] eventId) throws Exception {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setBytes(1, eventId);
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
    }

    private static io.restassured.path.json.JsonPath integrity() {
        return given().header("Authorization", auditor()).get("/v1/audit/integrity").then().statusCode(200).extract().jsonPath();
    }

    private static List<Map<String, Object>> query(Map<String, String> params) {
        return given().header("Authorization", auditor()).queryParams(params).queryParam("limit", 500).get("/v1/audit/events")
                .then().statusCode(200).extract().jsonPath().getList("items");
    }

}
