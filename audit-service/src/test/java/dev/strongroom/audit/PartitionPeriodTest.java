package dev.strongroom.audit;

import static dev.strongroom.audit.AuditTestSupport.database;
import static dev.strongroom.audit.AuditTestSupport.eventsOf;
import static dev.strongroom.audit.AuditTestSupport.patience;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.strongroom.audit.config.AuditPartitionsConfig;
import dev.strongroom.audit.service.ChainAnchors;
import dev.strongroom.audit.service.PartitionMaintenance;
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
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The partition period (docs/operations.md, "Partition period"): day and week partitions are created
 * ahead from the end of the last partition on, whatever its period, once the empty future partitions
 * of another period are folded back into p_future (not one holding rows, never the current one);
 * retention archives and drops a mix of month and day partitions with their checkpoints; a period
 * other than month, week or day, or a keep shorter than the period's minimum, is refused at start-up.
 */
@QuarkusTest
@TestProfile(PartitionPeriodTest.OwnDatabase.class)
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(HecTestResource.class)
class PartitionPeriodTest {

    /** Its own app and database: these tests move the partitions' ends and drop partitions. */
    public static class OwnDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("strongroom.audit.retention.months-ahead", "2");
        }
    }

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyyMM");

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ChainAnchors anchors;

    @Inject
    Vertx vertx;

    @Inject
    PartitionMaintenance scheduled;

    /** A partition as information_schema has it: name and upper bound (exclusive). */
    record Partition(String name, LocalDate before) {}

    @Test
    void aChangedPeriodStartsAtTheEndOfTheLastPartitionAndLeavesTheOthersAlone() throws Exception {
        await().atMost(patience()).until(scheduled::createdAhead); // the app's own first run (month, 2 ahead) is done
        List<Partition> months = partitions();
        LocalDate end = months.get(months.size() - 1).before();

        // month -> day, three days before the last month ends: day partitions from its end to 14 days after "today"
        LocalDate today = end.minusDays(3);
        assertThat(job("day", null, today).runOnce()).isEmpty();
        List<Partition> days = partitions();
        assertThat(days.subList(0, months.size())).isEqualTo(months);
        List<Partition> expected = new ArrayList<>();
        for (LocalDate day = end; day.isBefore(today.plusDays(15)); day = day.plusDays(1)) {
            expected.add(new Partition("p" + day.format(DAY), day.plusDays(1)));
        }
        assertThat(days.subList(months.size(), days.size())).isEqualTo(expected);
        assertThat(days.get(days.size() - 1).before()).isEqualTo(today.plusDays(15));

        // day -> week: a partial week up to the next Monday (named by its first day), then weeks named by their Monday, 3 ahead
        end = days.get(days.size() - 1).before();
        today = end.minusDays(1);
        LocalDate monday = end.with(TemporalAdjusters.next(DayOfWeek.MONDAY));
        job("week", null, today).runOnce();
        List<Partition> weeks = partitions();
        assertThat(weeks.subList(0, days.size())).isEqualTo(days);
        expected.clear();
        expected.add(new Partition("p" + end.format(DAY), monday));
        LocalDate aheadUntil = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).plusWeeks(4);
        for (LocalDate week = monday; week.isBefore(aheadUntil); week = week.plusWeeks(1)) {
            expected.add(new Partition("p" + week.format(DAY), week.plusWeeks(1)));
        }
        assertThat(weeks.subList(days.size(), weeks.size())).isEqualTo(expected);

        // week -> month with an explicit ahead: the rest of the month (by its first day), then whole months pYYYYMM
        end = weeks.get(weeks.size() - 1).before();
        LocalDate firstOfNext = end.withDayOfMonth(1).plusMonths(1);
        job("month", 1, end.minusDays(1)).runOnce();
        List<Partition> all = partitions();
        assertThat(all.subList(0, weeks.size())).isEqualTo(weeks);
        Partition rest = all.get(weeks.size());
        if (end.getDayOfMonth() == 1) {
            assertThat(rest).isEqualTo(new Partition("p" + end.format(DateTimeFormatter.ofPattern("yyyyMM")), end.plusMonths(1)));
        } else {
            assertThat(rest).isEqualTo(new Partition("p" + end.format(DAY), firstOfNext));
            assertThat(all.get(weeks.size() + 1)).isEqualTo(
                    new Partition("p" + firstOfNext.format(DateTimeFormatter.ofPattern("yyyyMM")), firstOfNext.plusMonths(1)));
        }

        // names sort as their ranges do, and p_future is still the empty catch-all
        List<String> names = all.stream().map(Partition::name).filter(n -> !n.equals("p_history")).toList();
        assertThat(names).isSorted();
        try (Connection c = database(); Statement s = c.createStatement()) {
            assertThat(AuditTestSupport.longOf(s, "SELECT COUNT(*) FROM audit_record PARTITION (p_future)")).isZero();
            // a record stored on a day is looked for in that day's partition only
            Partition day = days.get(months.size() + 1);
            try (ResultSet rs = s.executeQuery("EXPLAIN PARTITIONS SELECT id FROM audit_record WHERE stored_at = '" + day.before().minusDays(1) + " 10:00:00'")) {
                rs.next();
                assertThat(rs.getString("partitions")).isEqualTo(day.name());
            }
        }
    }

    @Test
    void aSwitchFoldsTheEmptyFuturePartitionsOfTheOldPeriodBackAndAppliesFromTheNextBoundary() throws Exception {
        await().atMost(patience()).until(scheduled::createdAhead);
        LocalDate end = last(partitions());
        LocalDate nextMonth = end.withDayOfMonth(1).plusMonths(1);
        LocalDate today = nextMonth.minusDays(1); // the last day of the month "now" is in
        job("month", null, today).runOnce();
        List<Partition> months = partitions();
        int current = months.size() - 3; // the partition "now" is in, then two whole months ahead
        assertThat(months.get(current).before()).isEqualTo(nextMonth);
        assertThat(months.subList(current + 1, months.size())).containsExactly(
                new Partition("p" + nextMonth.format(MONTH), nextMonth.plusMonths(1)),
                new Partition("p" + nextMonth.plusMonths(1).format(MONTH), nextMonth.plusMonths(2)));

        // month -> day: the two empty months go back into p_future, day partitions from tomorrow on, 14 days ahead
        List<String> logged = logged(() -> job("day", null, today).runOnce());
        List<Partition> days = partitions();
        assertThat(days.subList(0, current + 1)).isEqualTo(months.subList(0, current + 1)); // "now"'s month and older stay
        List<Partition> expected = new ArrayList<>();
        for (LocalDate day = nextMonth; day.isBefore(today.plusDays(15)); day = day.plusDays(1)) {
            expected.add(new Partition("p" + day.format(DAY), day.plusDays(1)));
        }
        assertThat(days.subList(current + 1, days.size())).isEqualTo(expected);
        assertThat(logged).filteredOn(line -> line.contains("folded back")).containsExactly("audit_record partitions "
                + months.get(current + 1).name() + ", " + months.get(current + 2).name() + " folded back into p_future: day partitions follow from "
                + nextMonth + " on");

        // the day partitions are the period: a second run folds nothing
        assertThat(logged(() -> job("day", null, today).runOnce())).noneMatch(line -> line.contains("folded back"));
        assertThat(partitions()).isEqualTo(days);
        try (Connection c = database(); Statement s = c.createStatement()) {
            assertThat(AuditTestSupport.longOf(s, "SELECT COUNT(*) FROM audit_record PARTITION (p_future)")).isZero();
        }

        // day -> week on a Wednesday: the days from the next Monday on go back, a week from that Monday on is made
        LocalDate wednesday = nextMonth.with(TemporalAdjusters.nextOrSame(DayOfWeek.WEDNESDAY));
        LocalDate monday = wednesday.with(TemporalAdjusters.next(DayOfWeek.MONDAY));
        job("week", null, wednesday).runOnce();
        List<Partition> weeks = partitions();
        int kept = days.indexOf(new Partition("p" + monday.minusDays(1).format(DAY), monday)) + 1;
        assertThat(kept).isPositive();
        assertThat(weeks.subList(0, kept)).isEqualTo(days.subList(0, kept));
        assertThat(weeks.subList(kept, weeks.size())).containsExactly(new Partition("p" + monday.format(DAY), monday.plusWeeks(1)),
                new Partition("p" + monday.plusWeeks(1).format(DAY), monday.plusWeeks(2)),
                new Partition("p" + monday.plusWeeks(2).format(DAY), monday.plusWeeks(3)));
    }

    @Test
    void aFuturePartitionHoldingRowsIsNotFoldedNorAreThoseBeforeIt() throws Exception {
        await().atMost(patience()).until(scheduled::createdAhead);
        LocalDate end = last(partitions());
        LocalDate nextMonth = end.withDayOfMonth(1).plusMonths(1);
        LocalDate today = nextMonth.minusDays(1);
        job("month", null, today).runOnce();
        List<Partition> months = partitions();
        Partition withRow = months.get(months.size() - 2); // next month; the one after it stays empty
        assertThat(withRow.name()).isEqualTo("p" + nextMonth.format(MONTH));
        try (Connection c = database(); Statement s = c.createStatement()) {
            // a record stamped into the future, on a chain of its own (no app chain has this partition number)
            s.executeUpdate("INSERT INTO audit_record (chain_partition, sequence, event_id, event_time, action, outcome, event, prev_hash, hash,"
                    + " kafka_offset, stored_at) VALUES (999999, 1, UNHEX(REPLACE(UUID(), '-', '')), '" + nextMonth.plusDays(9) + " 10:00:00',"
                    + " 'secret.read', 'success', '{}', UNHEX(REPEAT('00', 32)), UNHEX(REPEAT('00', 32)), 0, '" + nextMonth.plusDays(9) + " 10:00:00')");
        }
        try {
            List<String> logged = logged(() -> assertThat(job("day", null, today).runOnce()).isEmpty());
            // the empty last month is folded back; the one holding the row and all before it stay; no day partitions (14 days ahead end in it)
            assertThat(partitions()).isEqualTo(months.subList(0, months.size() - 1));
            assertThat(logged).contains("audit_record partition " + withRow.name()
                    + " lies after the current day but holds rows: it is kept, and so are the ones before it");
            assertThat(logged).contains("audit_record partitions " + months.get(months.size() - 1).name()
                    + " folded back into p_future: day partitions follow from " + withRow.before() + " on");
            try (Connection c = database(); Statement s = c.createStatement()) {
                assertThat(AuditTestSupport.longOf(s, "SELECT COUNT(*) FROM audit_record PARTITION (" + withRow.name() + ") WHERE chain_partition = 999999"))
                        .isEqualTo(1);
            }
        } finally {
            try (Connection c = database(); Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM audit_record WHERE chain_partition = 999999");
            }
        }
    }

    @Test
    void partitionDdlGivesUpWhileAQueryHoldsTheTableSoInsertsQueueOnlyBriefly() throws Exception {
        await().atMost(patience()).until(scheduled::createdAhead);
        List<Partition> before = partitions();
        LocalDate today = last(before).withDayOfMonth(1).plusMonths(1).minusDays(1); // the job would create months
        String actor = "lock-wait-" + UUID.randomUUID();
        try (Connection reader = database(); Statement s = reader.createStatement()) {
            // a long read (the integrity walk, a report) holds audit_record's metadata lock until its transaction ends
            reader.setAutoCommit(false);
            s.executeQuery("SELECT COUNT(*) FROM audit_record").close();
            java.util.concurrent.CompletableFuture<Exception> run = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    job("month", null, today).runOnce();
                    return null;
                } catch (Exception e) {
                    return e;
                }
            });
            await().atMost(patience()).until(() -> ddlWaitingForTheTable());
            // inserts queue behind the waiting DDL; once it gives up (lock-wait 1 s) they are stored, the read still open
            AuditTestSupport.publishReads(actor, "lock-wait", 0, 3);
            await().atMost(Duration.ofSeconds(20)).until(() -> eventsOf(actor).size() == 3);
            Exception failure = run.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(failure).isInstanceOfSatisfying(java.sql.SQLException.class,
                    e -> assertThat(e.getErrorCode()).as(e.getMessage()).isEqualTo(1205)); // lock wait timeout
            assertThat(partitions()).isEqualTo(before);
            reader.commit();
        }
        job("month", null, today).runOnce(); // the next run
        assertThat(last(partitions())).isAfter(last(before));
    }

    /** Whether an ALTER TABLE waits for audit_record's metadata lock. */
    private static boolean ddlWaitingForTheTable() throws Exception {
        try (Connection c = database(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*)"
                + " FROM information_schema.processlist WHERE state = 'Waiting for table metadata lock' AND info LIKE '%ALTER TABLE audit_record%'")) {
            return rs.next() && rs.getInt(1) > 0;
        }
    }

    @Test
    void withTheMonthDefaultAFurtherRunChangesNothing() throws Exception {
        await().atMost(patience()).until(scheduled::createdAhead);
        LocalDate end = last(partitions());
        LocalDate nextMonth = end.withDayOfMonth(1).plusMonths(1);
        LocalDate today = nextMonth.minusDays(1);
        Clock clock = Clock.fixed(today.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        PartitionMaintenance monthly = new PartitionMaintenance(AuditTestSupport.retention(null, null), dataSource, anchors, vertx, new SimpleMeterRegistry(), clock);
        monthly.runOnce();
        List<Partition> months = partitions();
        assertThat(last(months)).isEqualTo(nextMonth.plusMonths(2));

        // the same day again, an earlier one, and the app's own job: no partition folded or made
        List<String> logged = logged(() -> {
            monthly.runOnce();
            job("month", null, end).runOnce();
            scheduled.runOnce();
        });
        assertThat(partitions()).isEqualTo(months);
        assertThat(logged).noneMatch(line -> line.contains("folded back") || line.contains("created"));
    }

    @Test
    void retentionArchivesAndDropsAMixOfMonthAndDayPartitions() throws Exception {
        await().atMost(patience()).until(scheduled::createdAhead);
        Path archive = Files.createTempDirectory("audit-archive");
        String actor = "period-" + UUID.randomUUID();
        String subject = "period-" + UUID.randomUUID(); // one Kafka key: one chain

        // in front of every other partition: a month (January 2024), then two days (1 and 2 February 2024)
        try (Connection c = database(); Statement s = c.createStatement()) {
            Partition first = partitions().get(0);
            s.execute("ALTER TABLE audit_record REORGANIZE PARTITION " + first.name() + " INTO ("
                    + "PARTITION p202401 VALUES LESS THAN ('2024-02-01'), PARTITION p20240201 VALUES LESS THAN ('2024-02-02'),"
                    + " PARTITION p20240202 VALUES LESS THAN ('2024-02-03'), PARTITION " + first.name() + " VALUES LESS THAN ('" + first.before() + "'))");
        }
        // two records into each, in chain order: everything stored since the previous step is aged into the next partition
        int published = 0;
        for (String storedAt : List.of("2024-01-15 10:00:00", "2024-02-01 10:00:00", "2024-02-02 10:00:00")) {
            AuditTestSupport.publishReads(actor, subject, published, 2);
            published += 2;
            int expected = published;
            await().atMost(patience()).until(() -> eventsOf(actor).size() == expected);
            try (Connection c = database(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE audit_record SET stored_at = '" + storedAt + "' WHERE stored_at >= '2024-02-03'");
            }
        }
        AuditTestSupport.publishReads(actor, subject, published, 2); // kept: the chain goes on from the last day's records
        await().atMost(patience()).until(() -> eventsOf(actor).size() == 8);

        int chain;
        long lastDropped;
        try (Connection c = database(); Statement s = c.createStatement()) {
            chain = (int) AuditTestSupport.longOf(s, "SELECT chain_partition FROM audit_record WHERE actor = '" + actor + "' LIMIT 1");
            lastDropped = AuditTestSupport.longOf(s, "SELECT MAX(sequence) FROM audit_record PARTITION (p20240202) WHERE chain_partition = " + chain);
            assertThat(AuditTestSupport.longOf(s, "SELECT COUNT(*) FROM audit_record PARTITION (p20240201) WHERE actor = '" + actor + "'")).isEqualTo(2);
        }
        assertThat(AuditTestSupport.integrity().getBoolean("ok")).isTrue();

        // day partitions, a keep that reaches back to 4 February 2024: the three partitions go, nothing after them
        Duration keep = Duration.between(LocalDate.of(2024, 2, 4).atStartOfDay(), LocalDateTime.now(ZoneOffset.UTC));
        PartitionMaintenance retention = new PartitionMaintenance(AuditTestSupport.retention(keep, archive), partitions("day", null), dataSource, anchors, vertx,
                new SimpleMeterRegistry(), Clock.systemUTC());
        assertThat(retention.runOnce()).containsExactly("p202401", "p20240201", "p20240202");
        assertThat(retention.runOnce()).isEmpty();

        for (String name : List.of("p202401", "p20240201", "p20240202")) {
            for (String suffix : List.of(".jsonl.gz", ".jsonl.gz.sha256", ".checkpoint.json")) {
                assertThat(archive.resolve("audit_record-" + name + suffix)).as(name + suffix).isRegularFile();
            }
        }
        assertThat(Files.readString(archive.resolve("audit_record-p20240202.checkpoint.json")))
                .contains("\"storedBefore\":\"2024-02-03T00:00\"")
                .contains("\"chainPartition\":" + chain + ",\"sequence\":" + lastDropped + ",");
        try (Connection c = database(); Statement s = c.createStatement()) {
            assertThat(partitions().stream().map(Partition::name)).doesNotContain("p202401", "p20240201", "p20240202");
            assertThat(AuditTestSupport.longOf(s, "SELECT COUNT(*) FROM audit_archive WHERE partition_name IN ('p202401', 'p20240201', 'p20240202')")).isEqualTo(3);
            assertThat(AuditTestSupport.longOf(s, "SELECT sequence FROM audit_chain_checkpoint WHERE chain_partition = " + chain)).isEqualTo(lastDropped);
            assertThat(AuditTestSupport.longOf(s, "SELECT COUNT(*) FROM audit_record WHERE actor = '" + actor + "'")).isEqualTo(2);
        }
        JsonPath report = AuditTestSupport.integrity();
        assertThat(report.getBoolean("ok")).isTrue();
        assertThat(report.getLong("archived")).isGreaterThanOrEqualTo(lastDropped);

        AuditTestSupport.publishReads(actor, subject, 8, 1); // the chain goes on after the drop
        await().atMost(patience()).until(() -> eventsOf(actor).size() == 3);
        assertThat(AuditTestSupport.integrity().getBoolean("ok")).isTrue();
    }

    @Test
    void aPeriodOtherThanMonthWeekOrDayOrATooShortKeepIsRefusedAtStartUp() {
        // as the app reads it: the property through the config mapping, then the start-up check
        AuditPartitionsConfig fortnight = mapped(Map.of("strongroom.audit.partitions.period", "fortnight"));
        assertThatThrownBy(() -> PartitionMaintenance.validate(AuditTestSupport.retention(null, null), fortnight))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("strongroom.audit.partitions.period must be month, week or day (found \"fortnight\")");
        assertThatThrownBy(() -> new PartitionMaintenance(AuditTestSupport.retention(null, null), fortnight, dataSource, anchors, vertx, new SimpleMeterRegistry(),
                Clock.systemUTC())).hasMessageContaining("must be month, week or day");
        AuditPartitionsConfig defaults = mapped(Map.of());
        assertThat(defaults.period()).isEqualTo("month");
        assertThat(defaults.lockWait()).isEqualTo(Duration.ofSeconds(2));
        for (String refused : List.of("500ms", "1500ms", "400d")) { // MariaDB's lock_wait_timeout: whole seconds, at most a year
            assertThatThrownBy(() -> PartitionMaintenance.validate(AuditTestSupport.retention(null, null),
                    mapped(Map.of("strongroom.audit.partitions.lock-wait", refused)))).as(refused)
                    .hasMessageContaining("lock-wait must be whole seconds from 1s to 365d");
        }
        PartitionMaintenance.validate(AuditTestSupport.retention(null, null), mapped(Map.of("strongroom.audit.partitions.lock-wait", "30s")));
        PartitionMaintenance.validate(AuditTestSupport.retention(null, null), partitions("Week", null));

        // the shortest keep is the period plus a margin
        Path dir = Path.of("archive");
        assertThatThrownBy(() -> PartitionMaintenance.validate(AuditTestSupport.retention(Duration.ofHours(47), dir), partitions("day", null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("at least 2d with day partitions");
        PartitionMaintenance.validate(AuditTestSupport.retention(Duration.ofDays(2), dir), partitions("day", null));
        assertThatThrownBy(() -> PartitionMaintenance.validate(AuditTestSupport.retention(Duration.ofDays(7), dir), partitions("week", null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("at least 8d with week partitions");
        PartitionMaintenance.validate(AuditTestSupport.retention(Duration.ofDays(8), dir), partitions("week", null));
        assertThatThrownBy(() -> PartitionMaintenance.validate(AuditTestSupport.retention(Duration.ofDays(8), dir), partitions("month", null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("at least 31d with month partitions");
        assertThatThrownBy(() -> PartitionMaintenance.validate(AuditTestSupport.retention(null, null), partitions("day", 0)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("strongroom.audit.partitions.ahead must be at least 1");
    }

    /** A partition job of its own: {@code period}, {@code ahead} (null: the period's default), "today" at noon, no retention. */
    private PartitionMaintenance job(String period, Integer ahead, LocalDate today) {
        Clock clock = Clock.fixed(today.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        return new PartitionMaintenance(AuditTestSupport.retention(null, null), partitions(period, ahead), dataSource, anchors, vertx, new SimpleMeterRegistry(), clock);
    }

    /** The upper bound of the last bounded partition. */
    private static LocalDate last(List<Partition> partitions) {
        return partitions.get(partitions.size() - 1).before();
    }

    interface Run {
        void run() throws Exception;
    }

    /** What PartitionMaintenance logs while {@code run} runs. */
    private static List<String> logged(Run run) throws Exception {
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger(PartitionMaintenance.class.getName());
        logger.addHandler(capture);
        try {
            run.run();
        } finally {
            logger.removeHandler(capture);
        }
        return lines;
    }

    /** The bounded partitions (not p_future), in order. */
    private static List<Partition> partitions() throws Exception {
        List<Partition> partitions = new ArrayList<>();
        try (Connection c = database(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT partition_name,"
                + " partition_description FROM information_schema.partitions WHERE table_schema = DATABASE() AND table_name = 'audit_record'"
                + " AND partition_description <> 'MAXVALUE' ORDER BY partition_ordinal_position")) {
            while (rs.next()) {
                partitions.add(new Partition(rs.getString(1), LocalDate.parse(rs.getString(2).replace("'", "").trim().substring(0, 10))));
            }
        }
        return partitions;
    }

    /** The partition settings as the app reads them (Quarkus' duration format included). */
    private static AuditPartitionsConfig mapped(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withConverter(Duration.class, 100, new DurationConverter()).withMapping(AuditPartitionsConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build().getConfigMapping(AuditPartitionsConfig.class);
    }

    private static AuditPartitionsConfig partitions(String period, Integer ahead) {
        return new AuditPartitionsConfig() {
            @Override
            public String period() {
                return period;
            }

            @Override
            public Optional<Integer> ahead() {
                return Optional.ofNullable(ahead);
            }

            @Override
            public Duration lockWait() {
                return Duration.ofSeconds(1);
            }
        };
    }




}
