package dev.strongroom.audit;

import static dev.strongroom.audit.AuditTestSupport.database;
import static dev.strongroom.audit.AuditTestSupport.eventsOf;
import static dev.strongroom.audit.AuditTestSupport.patience;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.strongroom.audit.service.ChainAnchors;
import dev.strongroom.audit.service.HashChain;
import dev.strongroom.audit.service.PartitionMaintenance;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
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
        List<String> oldIds = AuditTestSupport.publishReads(actor, subject, 0, 6);
        await().atMost(patience()).until(() -> eventsOf(actor).size() == 6);

        int chain;
        long oldLast;
        try (Connection c = database(); Statement s = c.createStatement()) {
            chain = intOf(s, "SELECT chain_partition FROM audit_record WHERE actor = '" + actor + "' LIMIT 1");
            oldLast = AuditTestSupport.longOf(s, "SELECT MAX(sequence) FROM audit_record WHERE chain_partition = " + chain);
            // history: everything stored so far moves to last year (stored_at is not hashed), i.e. to p_history
            s.executeUpdate("UPDATE audit_record SET stored_at = '2025-01-15 10:00:00'");
            assertThat(AuditTestSupport.longOf(s, "SELECT COUNT(*) FROM audit_record PARTITION (p_history) WHERE actor = '" + actor + "'")).isEqualTo(6);
        }
        AuditTestSupport.publishReads(actor, subject, 6, 4);
        await().atMost(patience()).until(() -> eventsOf(actor).size() == 10);
        assertThat(AuditTestSupport.integrity().getBoolean("ok")).isTrue();

        // keep everything from one minute into this month: p_history (before this month) goes, this month stays
        LocalDateTime monthStart = LocalDateTime.now(ZoneOffset.UTC).withDayOfMonth(1).toLocalDate().atStartOfDay();
        Duration keep = Duration.between(monthStart.plusMinutes(1), LocalDateTime.now(ZoneOffset.UTC));
        PartitionMaintenance retention = new PartitionMaintenance(AuditTestSupport.retention(keep, archive), dataSource, anchors, vertx, new SimpleMeterRegistry(),
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
            assertThat(AuditTestSupport.longOf(s, "SELECT COUNT(*) FROM information_schema.partitions WHERE table_schema = DATABASE()"
                    + " AND table_name = 'audit_record' AND partition_name = 'p_history'")).isZero();
            // the coming months were created ahead, p_future is still the empty catch-all
            assertThat(AuditTestSupport.longOf(s, "SELECT COUNT(*) FROM information_schema.partitions WHERE table_schema = DATABASE()"
                    + " AND table_name = 'audit_record' AND partition_description <> 'MAXVALUE'")).isGreaterThanOrEqualTo(3);
            assertThat(AuditTestSupport.longOf(s, "SELECT COUNT(*) FROM audit_record WHERE actor = '" + actor + "'")).isEqualTo(4);
            assertThat(AuditTestSupport.longOf(s, "SELECT sequence FROM audit_chain_checkpoint WHERE chain_partition = " + chain)).isEqualTo(oldLast);
            assertThat(AuditTestSupport.longOf(s, "SELECT record_count FROM audit_archive WHERE partition_name = 'p_history'")).isEqualTo(lines.size());
        }

        JsonPath report = AuditTestSupport.integrity();
        assertThat(report.getBoolean("ok")).isTrue();
        assertThat(report.getLong("archived")).isGreaterThanOrEqualTo(oldLast);

        // the chain goes on after the drop
        AuditTestSupport.publishReads(actor, subject, 10, 1);
        await().atMost(patience()).until(() -> eventsOf(actor).size() == 5);
        assertThat(AuditTestSupport.integrity().getBoolean("ok")).isTrue();

        try (Connection c = database(); Statement s = c.createStatement()) {
            // a cut of the kept records (the first one after the checkpoint) is found, not taken for archived
            s.execute("CREATE TABLE kept_first AS SELECT * FROM audit_record WHERE chain_partition = " + chain + " AND sequence = " + (oldLast + 1));
            s.executeUpdate("DELETE FROM audit_record WHERE chain_partition = " + chain + " AND sequence = " + (oldLast + 1));
            try {
                JsonPath cut = AuditTestSupport.integrity();
                assertThat(cut.getBoolean("ok")).isFalse();
                assertThat(cut.getInt("firstBroken.partition")).isEqualTo(chain);
                assertThat(cut.getLong("firstBroken.sequence")).isEqualTo(oldLast + 2);
                assertThat(cut.getString("firstBroken.reason")).contains("sequence " + (oldLast + 1) + " is missing");
            } finally {
                s.executeUpdate("INSERT INTO audit_record SELECT * FROM kept_first");
            }
            assertThat(AuditTestSupport.integrity().getBoolean("ok")).isTrue();

            // moving the checkpoint on, to pass a cut off as archived, needs the anchor key
            s.executeUpdate("UPDATE audit_chain_checkpoint SET sequence = sequence + 1 WHERE chain_partition = " + chain);
            try {
                JsonPath forged = AuditTestSupport.integrity();
                assertThat(forged.getBoolean("ok")).isFalse();
                assertThat(forged.getString("firstBroken.reason")).contains("checkpoint's MAC does not verify");
            } finally {
                s.executeUpdate("UPDATE audit_chain_checkpoint SET sequence = sequence - 1 WHERE chain_partition = " + chain);
            }
        }
        assertThat(AuditTestSupport.integrity().getBoolean("ok")).isTrue();
    }

    /** Months the tests below age their records into, one each, older than every other partition. */
    private static final AtomicInteger MONTHS = new AtomicInteger();

    /**
     * A month partition of its own before all the others (split off the first partition), with every record
     * stored since {@code p_history}'s bound moved into it: the next month retention archives and drops.
     */
    private static YearMonth ageIntoOwnMonth() throws Exception {
        YearMonth month = YearMonth.of(2024, 1).plusMonths(MONTHS.getAndIncrement());
        try (Connection c = database(); Statement s = c.createStatement()) {
            splitOffFirst(s, month);
            s.executeUpdate("UPDATE audit_record SET stored_at = '" + month.atDay(15) + " 10:00:00' WHERE stored_at >= '" + month.plusMonths(1).atDay(1) + "'");
        }
        return month;
    }

    /** Splits {@code month}'s partition off the front of the first partition (which must reach past it). */
    private static void splitOffFirst(Statement s, YearMonth month) throws Exception {
        String first;
        String bound;
        try (ResultSet rs = s.executeQuery("SELECT partition_name, partition_description FROM information_schema.partitions"
                + " WHERE table_schema = DATABASE() AND table_name = 'audit_record' ORDER BY partition_ordinal_position LIMIT 1")) {
            rs.next();
            first = rs.getString(1);
            bound = rs.getString(2);
        }
        s.execute("ALTER TABLE audit_record REORGANIZE PARTITION " + first + " INTO (PARTITION " + partitionOf(month)
                + " VALUES LESS THAN ('" + month.plusMonths(1).atDay(1) + "'), PARTITION " + first + " VALUES LESS THAN (" + bound + "))");
    }

    private static String partitionOf(YearMonth month) {
        return "p" + month.format(DateTimeFormatter.ofPattern("yyyyMM"));
    }

    /** Retention that drops {@code month} and keeps every later partition. */
    private PartitionMaintenance retentionOf(YearMonth month, Path archive) {
        Duration keep = Duration.between(month.plusMonths(1).atDay(2).atStartOfDay(), LocalDateTime.now(ZoneOffset.UTC));
        return new PartitionMaintenance(AuditTestSupport.retention(keep, archive), dataSource, anchors, vertx, new SimpleMeterRegistry(), Clock.systemUTC());
    }

    private static boolean partitionExists(String name) throws Exception {
        try (Connection c = database(); Statement s = c.createStatement()) {
            return AuditTestSupport.longOf(s, "SELECT COUNT(*) FROM information_schema.partitions WHERE table_schema = DATABASE()"
                    + " AND table_name = 'audit_record' AND partition_name = '" + name + "'") == 1;
        }
    }

    @Test
    void aMonthWhoseDropFailedIsDroppedByTheNextRun() throws Exception {
        Path archive = Files.createTempDirectory("audit-archive");
        String actor = "resume-" + UUID.randomUUID();
        AuditTestSupport.publishReads(actor, "resume-" + UUID.randomUUID(), 0, 3);
        await().atMost(patience()).until(() -> eventsOf(actor).size() == 3);
        YearMonth month = ageIntoOwnMonth();
        String partition = partitionOf(month);
        try (Connection c = database(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE resume_saved AS SELECT * FROM audit_record PARTITION (" + partition + ")");
        }
        assertThat(retentionOf(month, archive).runOnce()).containsExactly(partition);

        // as if the DROP had failed after the archive and the checkpoints were written: the month is back
        try (Connection c = database(); Statement s = c.createStatement()) {
            splitOffFirst(s, month);
            s.executeUpdate("INSERT INTO audit_record SELECT * FROM resume_saved");
            s.execute("DROP TABLE resume_saved");
            assertThat(AuditTestSupport.longOf(s, "SELECT COUNT(*) FROM audit_record WHERE actor = '" + actor + "'")).isEqualTo(3);
        }
        Path file = archive.resolve("audit_record-" + partition + ".jsonl.gz");
        byte[] archived = Files.readAllBytes(file);

        // not without the archive it recorded: a changed file leaves the month refused and kept
        Files.write(file, "changed".getBytes(StandardCharsets.UTF_8));
        assertThat(retentionOf(month, archive).runOnce()).isEmpty();
        assertThat(partitionExists(partition)).isTrue();
        Files.write(file, archived);

        assertThat(retentionOf(month, archive).runOnce()).containsExactly(partition);
        assertThat(partitionExists(partition)).isFalse();
        assertThat(Files.readAllBytes(file)).isEqualTo(archived);
        try (Connection c = database(); Statement s = c.createStatement()) {
            assertThat(AuditTestSupport.longOf(s, "SELECT COUNT(*) FROM audit_record WHERE actor = '" + actor + "'")).isZero();
            assertThat(AuditTestSupport.longOf(s, "SELECT COUNT(*) FROM audit_archive WHERE partition_name = '" + partition + "'")).isEqualTo(1);
        }
        assertThat(AuditTestSupport.integrity().getBoolean("ok")).isTrue();
    }

    @Test
    void aMonthWhoseLastRecordIsNotWhatTheKeptChainGoesOnFromIsKept() throws Exception {
        Path archive = Files.createTempDirectory("audit-archive");
        String actor = "seam-" + UUID.randomUUID();
        String subject = "seam-" + UUID.randomUUID();
        AuditTestSupport.publishReads(actor, subject, 0, 3);
        await().atMost(patience()).until(() -> eventsOf(actor).size() == 3);
        YearMonth month = ageIntoOwnMonth();
        String partition = partitionOf(month);
        AuditTestSupport.publishReads(actor, subject, 3, 2);
        await().atMost(patience()).until(() -> eventsOf(actor).size() == 5);

        try (Connection c = database(); Statement s = c.createStatement()) {
            int chain = intOf(s, "SELECT chain_partition FROM audit_record WHERE actor = '" + actor + "' LIMIT 1");
            long firstKept = AuditTestSupport.longOf(s, "SELECT MIN(sequence) FROM audit_record WHERE chain_partition = " + chain
                    + " AND stored_at >= '" + month.plusMonths(1).atDay(1) + "'");
            String original = stringOf(s, "SELECT HEX(prev_hash) FROM audit_record WHERE chain_partition = " + chain + " AND sequence = " + firstKept);
            // the seam is cut: the first kept record does not go on from the month's last one
            s.executeUpdate("UPDATE audit_record SET prev_hash = UNHEX(SHA2('not the last hash', 256)) WHERE chain_partition = " + chain
                    + " AND sequence = " + firstKept);
            try {
                assertThat(retentionOf(month, archive).runOnce()).isEmpty();
                assertThat(partitionExists(partition)).isTrue();
                assertThat(AuditTestSupport.longOf(s, "SELECT COUNT(*) FROM audit_archive WHERE partition_name = '" + partition + "'")).isZero();
                assertThat(Files.exists(archive.resolve("audit_record-" + partition + ".jsonl.gz"))).isFalse();
            } finally {
                s.executeUpdate("UPDATE audit_record SET prev_hash = UNHEX('" + original + "') WHERE chain_partition = " + chain
                        + " AND sequence = " + firstKept);
            }
        }
        assertThat(retentionOf(month, archive).runOnce()).containsExactly(partition); // mended: the month goes
        assertThat(AuditTestSupport.integrity().getBoolean("ok")).isTrue();
    }

    @Test
    void archivesArePrivateAndNeverReplaced() throws Exception {
        Path archive = Files.createTempDirectory("audit-archive").resolve("archive");
        Files.createDirectory(archive, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rwxr-xr-x"));
        String actor = "archive-" + UUID.randomUUID();
        AuditTestSupport.publishReads(actor, "archive-" + UUID.randomUUID(), 0, 2);
        await().atMost(patience()).until(() -> eventsOf(actor).size() == 2);
        YearMonth month = ageIntoOwnMonth();
        String partition = partitionOf(month);

        // an archive directory that cannot be made (a file is in its way) refuses the month, it does not fail the run
        Path blocked = Files.createTempFile("audit-archive", ".not-a-directory");
        assertThat(retentionOf(month, blocked.resolve("archive")).runOnce()).isEmpty();
        assertThat(partitionExists(partition)).isTrue();

        // another file under the archive's name is not overwritten: the month is refused and kept
        Path file = archive.resolve("audit_record-" + partition + ".jsonl.gz");
        Files.writeString(file, "not this month's archive");
        assertThat(retentionOf(month, archive).runOnce()).isEmpty();
        assertThat(partitionExists(partition)).isTrue();
        assertThat(Files.readString(file)).isEqualTo("not this month's archive");
        try (Connection c = database(); Statement s = c.createStatement()) {
            assertThat(AuditTestSupport.longOf(s, "SELECT COUNT(*) FROM audit_archive WHERE partition_name = '" + partition + "'")).isZero();
        }

        Files.delete(file);
        assertThat(retentionOf(month, archive).runOnce()).containsExactly(partition);
        assertThat(Files.getPosixFilePermissions(archive)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        for (String name : List.of(".jsonl.gz", ".jsonl.gz.sha256", ".checkpoint.json")) {
            assertThat(Files.getPosixFilePermissions(archive.resolve("audit_record-" + partition + name)))
                    .as(name).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        try (var listing = Files.list(archive)) {
            assertThat(listing.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
        }
        assertThat(AuditTestSupport.integrity().getBoolean("ok")).isTrue();
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
        assertThatThrownBy(() -> PartitionMaintenance.validate(AuditTestSupport.retention(Duration.ofDays(30), Path.of("archive"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("at least 31d");
        PartitionMaintenance.validate(AuditTestSupport.retention(Duration.ofDays(31), Path.of("archive")));
    }





    private static String stringOf(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static int intOf(Statement s, String sql) throws Exception {
        return (int) AuditTestSupport.longOf(s, sql);
    }
}
