package dev.strongroom.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.audit.service.ChainAnchors;
import dev.strongroom.audit.service.PartitionPeriod;
import dev.strongroom.common.audit.ActorType;
import dev.strongroom.common.audit.AuditActor;
import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.audit.AuditJson;
import dev.strongroom.common.audit.AuditTarget;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fills audit_record with synthetic history for {@link AuditPipelineBenchmark}, set-based (INSERT … SELECT
 * over MariaDB's sequence engine, or a numbers table without it), in chunks of one statement each.
 *
 * <p>Rows look like the benchmark's secret.read events (the same JSON shape and length, varied
 * actions, actors and resources, so the secondary indexes are spread as in a real log), with
 * UUIDv7 ids at their stored_at time, also claimed in audit_event_seen. They live on chains
 * {@link #FIRST_CHAIN} and up, which the topic's partitions never use, with sequences from 1 and
 * prev_hash/hash links that are consistent with each other but not hashes of the events. So that
 * nothing walks or forwards them, each chain gets, before the fill, its hec_position at its last
 * sequence, and a retention checkpoint and an anchor (MAC'd with the service's own key) at that
 * last record: the integrity walk starts after the checkpoint (reporting the prefill as archived)
 * and the chain ends at its anchor; the HEC forwarder finds nothing pending.
 */
final class AuditLogPrefill {

    /** The first chain number of the prefill; the benchmark's own records are on chains below it. */
    static final int FIRST_CHAIN = 1000;

    private static final String[] ACTIONS = {"secret.read", "secret.read", "secret.read", "secret.read", "secret.read",
            "secret.read", "secret.list", "secret.update", "secret.create", "secret.version.read"};

    private final ChainAnchors anchors;
    private final int chains;
    private final int chunk;

    AuditLogPrefill(ChainAnchors anchors, int chains, int chunk) {
        this.anchors = anchors;
        this.chains = chains;
        this.chunk = chunk;
    }

    /**
     * Fills {@code rows} records stored {@code into}: {@code history}, last year (p_history); {@code current},
     * earlier this month up to a minute ago (this month's partition); {@code recent}, on this month's days
     * before today (their partitions: see {@link #splitThisMonth}).
     */
    void fill(long rows, String into) throws Exception {
        Instant now = Instant.now();
        LocalDateTime monthStart = YearMonth.from(LocalDateTime.ofInstant(now, ZoneOffset.UTC)).atDay(1).atStartOfDay();
        long from = monthStart.toInstant(ZoneOffset.UTC).toEpochMilli();
        long until;
        String where;
        switch (into) {
            case "current" -> {
                until = Math.max(from + 1, now.minusSeconds(60).toEpochMilli());
                where = "this month's partition";
            }
            case "recent" -> {
                LocalDateTime today = LocalDate.ofInstant(now, ZoneOffset.UTC).atStartOfDay();
                if (!today.isAfter(monthStart)) {
                    throw new IllegalStateException("strongroom.benchmark.prefill-into=recent fills this month's days before today: there is none on the 1st");
                }
                until = today.toInstant(ZoneOffset.UTC).toEpochMilli() - 1;
                where = "this month's partitions before today's";
            }
            default -> {
                from = monthStart.minusYears(1).toInstant(ZoneOffset.UTC).toEpochMilli();
                until = monthStart.toInstant(ZoneOffset.UTC).toEpochMilli() - 1;
                where = "p_history";
            }
        }
        double step = (double) (until - from) / rows;
        try (Connection c = AuditTestSupport.database(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            markDone(c, rows);
            boolean sequenceEngine = sequenceEngine(s);
            System.out.printf(Locale.ROOT, "prefill: %,d rows on chains %d-%d, stored_at %s to %s (%s), numbers from %s%n", rows,
                    FIRST_CHAIN, FIRST_CHAIN + chains - 1, Instant.ofEpochMilli(from), Instant.ofEpochMilli(until),
                    where, sequenceEngine ? "the sequence engine" : "a numbers table");
            String eventSql = event(template());
            long start = System.nanoTime();
            for (long base = 0; base < rows; base += chunk) {
                int size = (int) Math.min(chunk, rows - base);
                String numbers = sequenceEngine ? "seq_0_to_" + (size - 1) : "bench_numbers WHERE seq < " + size;
                String rowsSql = rows(numbers, base, from, step);
                s.executeUpdate("INSERT INTO audit_record (chain_partition, sequence, event_id, event_time, action, actor, resource_id, outcome,"
                        + " event, prev_hash, hash, kafka_offset, stored_at) SELECT chain, sq, UNHEX(h), t, act, actor, res, 'success', "
                        + eventSql + ", IF(sq = 1, UNHEX(REPEAT('00', 32)), UNHEX(SHA2(CONCAT(chain, ':', sq - 1), 256))),"
                        + " UNHEX(SHA2(CONCAT(chain, ':', sq), 256)), sq - 1, t FROM " + rowsSql);
                s.executeUpdate("INSERT INTO audit_event_seen (event_id) SELECT UNHEX(h) FROM " + rowsSql);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "prefill: %,d of %,d rows, %.0f s, %,.0f rows/s%n", base + size, rows, seconds, (base + size) / seconds);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "prefill: %,d rows in %.1f s: %,.0f rows/s (records and their audit_event_seen ids)%n",
                    rows, seconds, rows / seconds);
            check(s);
            s.execute("DROP TABLE IF EXISTS bench_numbers");
            s.execute("ANALYZE TABLE audit_record, audit_event_seen");
        }
    }

    /**
     * With week or day partitions, this month's whole-month partition (as V3 makes it: the period applies
     * from the end of the last partition on) is split into the period's partitions, so that the fill's days
     * before today are each in their own; instant while it is (nearly) empty. Returns the partitions of this
     * month; with month partitions, or once split, nothing changes.
     */
    static List<String> splitThisMonth(PartitionPeriod period) throws SQLException {
        LocalDate monthStart = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
        LocalDate nextMonth = monthStart.plusMonths(1);
        String whole = PartitionPeriod.name(monthStart, nextMonth);
        List<String> parts = new ArrayList<>();
        StringBuilder into = new StringBuilder();
        for (LocalDate from = monthStart; from.isBefore(nextMonth); ) {
            LocalDate to = period.next(from).isAfter(nextMonth) ? nextMonth : period.next(from);
            String name = PartitionPeriod.name(from, to);
            parts.add(name);
            into.append(into.isEmpty() ? "" : ", ").append("PARTITION ").append(name).append(" VALUES LESS THAN ('").append(to).append("')");
            from = to;
        }
        try (Connection c = AuditTestSupport.database(); Statement s = c.createStatement()) {
            boolean split;
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.partitions WHERE table_schema = DATABASE()"
                    + " AND table_name = 'audit_record' AND partition_name = '" + whole + "'")) {
                rs.next();
                split = period != PartitionPeriod.MONTH && rs.getLong(1) == 1;
            }
            if (split) {
                s.execute("ALTER TABLE audit_record REORGANIZE PARTITION " + whole + " INTO (" + into + ")");
                System.out.printf(Locale.ROOT, "prefill: %s split into %d %s partitions, %s to %s%n", whole, parts.size(), period,
                        parts.get(0), parts.get(parts.size() - 1));
            }
        }
        return parts;
    }

    /** The first record must say in its JSON what its columns say; prints the events' average length. */
    private static void check(Statement s) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT event, LOWER(HEX(event_id)), action, actor, resource_id,"
                + " DATE_FORMAT(event_time, '%Y-%m-%dT%H:%i:%s.%f') FROM audit_record WHERE chain_partition = " + FIRST_CHAIN + " AND sequence = 1")) {
            rs.next();
            JsonNode event = AuditJson.mapper().readTree(rs.getString(1));
            JsonNode data = event.path("data");
            if (!event.path("id").asText().replace("-", "").equals(rs.getString(2)) || !data.path("action").asText().equals(rs.getString(3))
                    || !data.path("actor").path("name").asText().equals(rs.getString(4)) || !data.path("resource").path("id").asText().equals(rs.getString(5))
                    || !event.path("time").asText().equals(rs.getString(6).substring(0, 23) + "Z")) {
                throw new IllegalStateException("prefill record disagrees with its columns: " + rs.getString(1));
            }
        }
        try (ResultSet rs = s.executeQuery("SELECT AVG(LENGTH(event)) FROM audit_record WHERE chain_partition = " + FIRST_CHAIN + " AND sequence <= 10000")) {
            rs.next();
            System.out.printf(Locale.ROOT, "prefill: events average %.0f bytes%n", rs.getDouble(1));
        }
    }

    /** Before the fill: every prefill chain forwarded, checkpointed and anchored at its last record. */
    private void markDone(Connection c, long rows) throws SQLException {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        for (int i = 0; i < chains && i < rows; i++) {
            int chain = FIRST_CHAIN + i;
            long last = (rows - 1 - i) / chains + 1; // row n is chain n % chains, sequence n / chains + 1
            byte[] hash = link(chain, last);
            try (PreparedStatement position = c.prepareStatement("INSERT INTO hec_position (chain_partition, sequence, updated_at) VALUES (?, ?, ?)");
                    PreparedStatement checkpoint = c.prepareStatement(
                            "INSERT INTO audit_chain_checkpoint (chain_partition, sequence, hash, mac, updated_at) VALUES (?, ?, ?, ?, ?)");
                    PreparedStatement anchor = c.prepareStatement(
                            "INSERT INTO audit_chain_anchor (chain_partition, sequence, hash, mac, anchored_at) VALUES (?, ?, ?, ?, ?)")) {
                position.setInt(1, chain);
                position.setLong(2, last);
                position.setObject(3, now);
                position.executeUpdate();
                checkpoint.setInt(1, chain);
                checkpoint.setLong(2, last);
                checkpoint.setBytes(3, hash);
                checkpoint.setBytes(4, anchors.checkpointMac(chain, last, hash));
                checkpoint.setObject(5, now);
                checkpoint.executeUpdate();
                anchor.setInt(1, chain);
                anchor.setLong(2, last);
                anchor.setBytes(3, hash);
                anchor.setBytes(4, anchors.mac(chain, last, hash));
                anchor.setObject(5, now);
                anchor.executeUpdate();
            }
        }
    }

    /** The prefill's stand-in hash of a record: SHA-256 of "chain:sequence", as the SQL computes it. */
    private static byte[] link(int chain, long sequence) {
        try {
            return MessageDigest.getInstance("SHA-256").digest((chain + ":" + sequence).getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether MariaDB's sequence engine answers; without it, bench_numbers holds 0 to chunk - 1 in column seq. */
    private boolean sequenceEngine(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM seq_0_to_1")) {
            if (!Boolean.getBoolean("strongroom.benchmark.prefill-numbers-table")) { // the fallback, on demand to try it
                return true;
            }
        } catch (SQLException e) {
            // no sequence engine (a server without the plugin)
        }
        s.execute("CREATE TABLE IF NOT EXISTS bench_numbers (seq INT NOT NULL, PRIMARY KEY (seq)) ENGINE = InnoDB");
        s.execute("INSERT IGNORE INTO bench_numbers VALUES (0)");
        for (long have = 1; have < chunk; have *= 2) {
            s.execute("INSERT IGNORE INTO bench_numbers SELECT seq + " + have + " FROM bench_numbers WHERE seq + " + have + " < " + chunk);
        }
        return false;
    }

    /** The derived table of one chunk: every column the inserts need, computed once per row. */
    private String rows(String numbers, long base, long from, double step) {
        StringBuilder actions = new StringBuilder();
        for (String action : ACTIONS) {
            actions.append(", '").append(action).append('\'');
        }
        String ms = "(" + from + " + FLOOR(n * " + String.format(Locale.ROOT, "%.6f", step) + "))";
        String hex = "CONCAT(LPAD(HEX(" + ms + "), 12, '0'), '7', LPAD(HEX(n MOD 4096), 3, '0'), '8', LPAD(HEX(n), 15, '0'))";
        return "(SELECT n, " + FIRST_CHAIN + " + n MOD " + chains + " AS chain, n DIV " + chains + " + 1 AS sq, "
                + hex + " AS h, TIMESTAMPADD(MICROSECOND, " + ms + " * 1000, '1970-01-01') AS t, " + ms + " AS ms,"
                + " ELT(1 + n MOD " + ACTIONS.length + actions + ") AS act,"
                + " (n * 7919) MOD 50000 AS a, CONCAT('user-', (n * 7919) MOD 50000) AS actor,"
                + " (n * 104729) MOD 200000 AS r, CONCAT('s-', (n * 104729) MOD 200000) AS res"
                + " FROM (SELECT seq + " + base + " AS n FROM " + numbers + ") numbered) d";
    }

    /** The event JSON: the template's literal pieces around the per-row values, in the order of {@link #template()}'s markers. */
    private static String event(String[] json) {
        String id = "LOWER(CONCAT(SUBSTR(h, 1, 8), '-', SUBSTR(h, 9, 4), '-', SUBSTR(h, 13, 4), '-', SUBSTR(h, 17, 4), '-', SUBSTR(h, 21, 12)))";
        String time = "CONCAT(DATE_FORMAT(t, '%Y-%m-%dT%H:%i:%s.'), LPAD(ms MOD 1000, 3, '0'), 'Z')";
        List<String> values = List.of(id, time, "act", "CONCAT('u-', a)", "actor", "CONCAT('10.1.', n MOD 250, '.', n MOD 200)",
                "res", "CONCAT('team-', r MOD 40, '/db/password-', r)", "IF(n MOD 3 = 0, 'production', 'staging')", "CONCAT('req-p', n)");
        StringBuilder sql = new StringBuilder("CONCAT(");
        for (int i = 0; i < json.length; i++) {
            sql.append(i == 0 ? "" : ", ").append(json[i].isEmpty() ? "''" : quote(json[i]));
            if (i < json.length - 1) {
                sql.append(", ").append(values.get(Integer.parseInt(json[i + 1].substring(0, 1))));
                json[i + 1] = json[i + 1].substring(1);
            }
        }
        return sql.append(')').toString();
    }

    private static String quote(String literal) {
        return "'" + literal.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /**
     * A secret.read as the benchmark sends it, with markers where the rows differ, split at the
     * markers; each piece after the first starts with the digit of the value that precedes it.
     */
    private static String[] template() throws Exception {
        AuditEvent event = AuditEvent.of("zz.action")
                .actor(new AuditActor("zzactorid", "zzactorname", ActorType.USER, "10.1.77.123", "strongroom-cli/1.4"))
                .resource(AuditTarget.of("secret", "zzresid", "zzresname").inEnvironment("zzenv").atVersion(3))
                .requestId("zzrequest")
                .detail("versionRequested", true)
                .time(Instant.parse("2001-02-03T04:05:06.789Z"))
                .build("strongroom/secrets-service");
        String json = AuditJson.write(event);
        JsonNode node = AuditJson.mapper().readTree(json);
        String[] markers = {event.id(), node.path("time").asText(), "zz.action", "zzactorid", "zzactorname", "10.1.77.123", "zzresid",
                "zzresname", "zzenv", "zzrequest"};
        for (int i = 0; i < markers.length; i++) {
            if (!json.contains(markers[i])) {
                throw new IllegalStateException("the event JSON has no " + markers[i] + ": " + json);
            }
            json = json.replace(markers[i], "\u0000" + i);
        }
        List<String> pieces = new ArrayList<>(List.of(json.split("\u0000", -1)));
        return pieces.toArray(String[]::new);
    }
}
