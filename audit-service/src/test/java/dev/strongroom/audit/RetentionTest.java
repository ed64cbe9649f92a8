package dev.strongroom.audit;

import static dev.strongroom.audit.AuditTestSupport.database;
import static dev.strongroom.audit.AuditTestSupport.eventsOf;
import static dev.strongroom.audit.AuditTestSupport.patience;
import static dev.strongroom.audit.AuditTestSupport.publishSigned;
import static dev.strongroom.audit.AuditTestSupport.signature;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.strongroom.audit.config.AuditRetentionConfig;
import dev.strongroom.audit.service.ChainAnchors;
import dev.strongroom.audit.service.HashChain;
import dev.strongroom.audit.service.PartitionMaintenance;
import dev.strongroom.common.audit.AuditActor;
import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.audit.AuditJson;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Retention (docs/operations.md, "Retention"): a month partition older than strongroom.audit.retention.keep
 * is archived (gzip JSON lines, its SHA-256, the chains' checkpoints) and then dropped; the integrity check
 * starts from the kept checkpoint, reports the dropped records as archived and still finds a cut of the kept ones.
 */
@QuarkusTest
@TestProfile(RetentionTest.OwnDatabase.class)
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(HecTestResource.class)
class RetentionTest {

    /** Its own app and database: retention drops partitions every other test's records are in. */
    public static class OwnDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("strongroom.audit.retention.months-ahead", "2");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ChainAnchors anchors;

    @Inject
    Vertx vertx;

    @Test
    void oldPartitionsAreArchivedThenDroppedAndTheKeptChainStillVerifies() throws Exception {
        Path archive = Files.createTempDirectory("audit-archive");
        String actor = "retention-" + UUID.randomUUID();
        String subject = "retention-" + UUID.randomUUID(); // one Kafka key: one chain
        List<String> oldIds = publish(actor, subject, 0, 6);
        await().atMost(patience()).until(() -> eventsOf(actor).size() == 6);

        int chain;
        long oldLast;
        try (Connection c = database(); Statement s = c.createStatement()) {
            chain = intOf(s, "SELECT chain_partition FROM audit_record WHERE actor = '" + actor + "' LIMIT 1");
            oldLast = longOf(s, "SELECT MAX(sequence) FROM audit_record WHERE chain_partition = " + chain);
            // history: everything stored so far moves to last year (stored_at is not hashed), i.e. to p_history
            s.executeUpdate("UPDATE audit_record SET stored_at = '2025-01-15 10:00:00'");
            assertThat(longOf(s, "SELECT COUNT(*) FROM audit_record PARTITION (p_history) WHERE actor = '" + actor + "'")).isEqualTo(6);
        }
        publish(actor, subject, 6, 4);
        await().atMost(patience()).until(() -> eventsOf(actor).size() == 10);
        assertThat(integrity().getBoolean("ok")).isTrue();

        // keep everything from one minute into this month: p_history (before this month) goes, this month stays
        LocalDateTime monthStart = LocalDateTime.now(ZoneOffset.UTC).withDayOfMonth(1).toLocalDate().atStartOfDay();
        Duration keep = Duration.between(monthStart.plusMinutes(1), LocalDateTime.now(ZoneOffset.UTC));
        PartitionMaintenance retention = new PartitionMaintenance(config(keep, archive), dataSource, anchors, vertx, new SimpleMeterRegistry(),
                Clock.systemUTC());
        assertThat(retention.runOnce()).containsExactly("p_history");
        assertThat(retention.runOnce()).isEmpty(); // nothing left to drop

        // the archive: its checksum verifies, it holds the dropped records, the checkpoint names the chain's last dropped record
        Path file = archive.resolve("audit_record-p_history.jsonl.gz");
        String expected = Files.readString(archive.resolve("audit_record-p_history.jsonl.gz.sha256")).split(" ")[0];
        assertThat(HashChain.hex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)))).isEqualTo(expected);
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            reader.lines().forEach(lines::add);
        }
        List<String> archivedIds = lines.stream().map(line -> readId(field(line, "event"))).toList();
        assertThat(archivedIds).containsAll(oldIds);
        String checkpoint = Files.readString(archive.resolve("audit_record-p_history.checkpoint.json"));
        assertThat(checkpoint).contains("\"chainPartition\":" + chain + ",\"sequence\":" + oldLast + ",");

        try (Connection c = database(); Statement s = c.createStatement()) {
            assertThat(longOf(s, "SELECT COUNT(*) FROM information_schema.partitions WHERE table_schema = DATABASE()"
                    + " AND table_name = 'audit_record' AND partition_name = 'p_history'")).isZero();
            // the coming months were created ahead, p_future is still the empty catch-all
            assertThat(longOf(s, "SELECT COUNT(*) FROM information_schema.partitions WHERE table_schema = DATABASE()"
                    + " AND table_name = 'audit_record' AND partition_description <> 'MAXVALUE'")).isGreaterThanOrEqualTo(3);
            assertThat(longOf(s, "SELECT COUNT(*) FROM audit_record WHERE actor = '" + actor + "'")).isEqualTo(4);
            assertThat(longOf(s, "SELECT sequence FROM audit_chain_checkpoint WHERE chain_partition = " + chain)).isEqualTo(oldLast);
            assertThat(longOf(s, "SELECT record_count FROM audit_archive WHERE partition_name = 'p_history'")).isEqualTo(lines.size());
        }

        JsonPath report = integrity();
        assertThat(report.getBoolean("ok")).isTrue();
        assertThat(report.getLong("archived")).isGreaterThanOrEqualTo(oldLast);

        // the chain goes on after the drop
        publish(actor, subject, 10, 1);
        await().atMost(patience()).until(() -> eventsOf(actor).size() == 5);
        assertThat(integrity().getBoolean("ok")).isTrue();

        try (Connection c = database(); Statement s = c.createStatement()) {
            // a cut of the kept records (the first one after the checkpoint) is found, not taken for archived
            s.execute("CREATE TABLE kept_first AS SELECT * FROM audit_record WHERE chain_partition = " + chain + " AND sequence = " + (oldLast + 1));
            s.executeUpdate("DELETE FROM audit_record WHERE chain_partition = " + chain + " AND sequence = " + (oldLast + 1));
            try {
                JsonPath cut = integrity();
                assertThat(cut.getBoolean("ok")).isFalse();
                assertThat(cut.getInt("firstBroken.partition")).isEqualTo(chain);
                assertThat(cut.getLong("firstBroken.sequence")).isEqualTo(oldLast + 2);
                assertThat(cut.getString("firstBroken.reason")).contains("sequence " + (oldLast + 1) + " is missing");
            } finally {
                s.executeUpdate("INSERT INTO audit_record SELECT * FROM kept_first");
            }
            assertThat(integrity().getBoolean("ok")).isTrue();

            // moving the checkpoint on, to pass a cut off as archived, needs the anchor key
            s.executeUpdate("UPDATE audit_chain_checkpoint SET sequence = sequence + 1 WHERE chain_partition = " + chain);
            try {
                JsonPath forged = integrity();
                assertThat(forged.getBoolean("ok")).isFalse();
                assertThat(forged.getString("firstBroken.reason")).contains("checkpoint's MAC does not verify");
            } finally {
                s.executeUpdate("UPDATE audit_chain_checkpoint SET sequence = sequence - 1 WHERE chain_partition = " + chain);
            }
        }
        assertThat(integrity().getBoolean("ok")).isTrue();
    }

    private static String readId(String event) {
        return field(event, "id");
    }

    private static String field(String json, String name) {
        try {
            return AuditJson.mapper().readTree(json).path(name).asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRetentionShorterThanAMonthOrWithoutAnArchiveIsRefused() {
        assertThatThrownBy(() -> PartitionMaintenance.validate(config(Duration.ofDays(30), Path.of("archive"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("at least 31d");
        PartitionMaintenance.validate(config(Duration.ofDays(31), Path.of("archive")));
    }

    private static AuditRetentionConfig config(Duration keep, Path archive) {
        return new AuditRetentionConfig() {
            @Override
            public Optional<Duration> keep() {
                return Optional.of(keep);
            }

            @Override
            public Optional<String> archiveDir() {
                return Optional.of(archive.toString());
            }

            @Override
            public int monthsAhead() {
                return 2;
            }

            @Override
            public Duration every() {
                return Duration.ofHours(1);
            }
        };
    }

    private static List<String> publish(String actor, String subject, int from, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            AuditEvent event = AuditEvent.of("secret.read").actor(AuditActor.user("u", actor)).resource("secret", subject)
                    .detail("attempt", (long) i).build("strongroom/test-service");
            String json = AuditJson.write(event);
            publishSigned("secret/" + subject, json, signature("test-service", json));
            ids.add(readId(json));
        }
        return ids;
    }

    private static JsonPath integrity() {
        return given().header("Authorization", AuditTestSupport.auditor()).get("/v1/audit/integrity").then().statusCode(200)
                .extract().jsonPath();
    }

    private static long longOf(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int intOf(Statement s, String sql) throws Exception {
        return (int) longOf(s, sql);
    }
}
