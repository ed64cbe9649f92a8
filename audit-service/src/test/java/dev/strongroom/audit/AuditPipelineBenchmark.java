package dev.strongroom.audit;

import dev.strongroom.testing.HecReceiver;
import dev.strongroom.testing.ProcessCpu;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strongroom.audit.messaging.AuditLogConsumer;
import dev.strongroom.audit.service.ChainAnchors;
import dev.strongroom.audit.service.ChainVerification;
import dev.strongroom.audit.service.HecForwarder;
import dev.strongroom.audit.service.IntegrityService;
import dev.strongroom.audit.service.PartitionMaintenance;
import dev.strongroom.audit.service.PartitionPeriod;
import dev.strongroom.common.audit.ActorType;
import dev.strongroom.common.audit.AuditActor;
import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.audit.AuditJson;
import dev.strongroom.common.audit.AuditTarget;
import dev.strongroom.common.audit.EventMac;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test: surefire does not pick it up by name. Run it with
 * <pre>./mvnw -o -pl audit-service test -Dtest=AuditPipelineBenchmark [-Dstrongroom.benchmark.events=200000]</pre>
 * It fills the topic first (consumer and forwarder paused), then measures
 * (1) Kafka → hash-chained log, (2) log → HEC receiver (a local HTTP server), and prints events/s.
 * It asserts only that every event arrived, never a time.
 *
 * <p>Further properties: {@code strongroom.benchmark.rounds} (measured rounds after the warm-up, default 1);
 * {@code strongroom.benchmark.prefill} (rows of synthetic history filled into the log before the warm-up,
 * default 0, see {@link AuditLogPrefill}) with {@code strongroom.benchmark.prefill-into} ({@code history}:
 * stored last year, in {@code p_history}; {@code current}: earlier this month, in this month's partition,
 * the worst case with month partitions; {@code recent}: on this month's days before today, which with
 * {@code -Dstrongroom.audit.partitions.period=day} (or {@code week}) are each in their own partition, this
 * month's partition being split into them first: "10 M rows this month, day partitions"; with month
 * partitions it is {@code current} without today), {@code strongroom.benchmark.prefill-chains} (default 3) and
 * {@code strongroom.benchmark.prefill-chunk} (rows per INSERT … SELECT, default 1,000,000);
 * {@code -Dstrongroom.benchmark.prefill-numbers-table} fills from a numbers table as without the sequence engine.
 * Issue 18 item 5 (Kafka → log on a log of 10 M rows as on a young one), on an idle machine, each
 * against the same command without the prefill:
 * <pre>
 * ./mvnw -B -o -pl audit-service -am test -Dtest=AuditPipelineBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dspotbugs.skip=true \
 *     -Dstrongroom.benchmark.prefill=10000000 -Dstrongroom.benchmark.prefill-into=history \
 *     -Dstrongroom.benchmark.warm-up=100000 -Dstrongroom.benchmark.events=200000 -Dstrongroom.benchmark.actors=200 -Dstrongroom.benchmark.rounds=3
 * ./mvnw -B -o -pl audit-service -am test -Dtest=AuditPipelineBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dspotbugs.skip=true \
 *     -Dstrongroom.benchmark.prefill=10000000 -Dstrongroom.benchmark.prefill-into=current \
 *     -Dstrongroom.benchmark.warm-up=100000 -Dstrongroom.benchmark.events=200000 -Dstrongroom.benchmark.actors=200 -Dstrongroom.benchmark.rounds=3
 * </pre>
 * and the same month with day partitions (not on the 1st of a month: there is no earlier day):
 * <pre>
 * ./mvnw -B -o -pl audit-service -am test -Dtest=AuditPipelineBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dspotbugs.skip=true \
 *     -Dstrongroom.audit.partitions.period=day -Dstrongroom.benchmark.prefill=10000000 -Dstrongroom.benchmark.prefill-into=recent \
 *     -Dstrongroom.benchmark.warm-up=100000 -Dstrongroom.benchmark.events=200000 -Dstrongroom.benchmark.actors=200 -Dstrongroom.benchmark.rounds=3
 * </pre>
 * Each run has its own database, so each fills its 10 M rows anew (the fill prints its rate).
 */
@QuarkusTest
@TestProfile(AuditPipelineBenchmark.Production.class)
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(HecTestResource.class)
class AuditPipelineBenchmark {

    /** Production batch sizes instead of the small ones the tests use. */
    public static class Production implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "strongroom.audit.hec.batch-size", "500",
                    "strongroom.audit.hec.linger", "200ms",
                    "strongroom.audit.hec.request-timeout", "10s",
                    "strongroom.audit.log.poll-timeout", "500ms",
                    "quarkus.log.category.\"dev.strongroom\".level", "WARN");
        }
    }

    @Inject
    AuditLogConsumer consumer;

    @Inject
    HecForwarder forwarder;

    @Inject
    ChainAnchors anchors;

    @Inject
    PartitionMaintenance partitions;

    @Inject
    IntegrityService integrity;

    @Test
    void measure() throws Exception {
        int events = Integer.getInteger("strongroom.benchmark.events", 100_000);
        int warmUp = Integer.getInteger("strongroom.benchmark.warm-up", 50_000);
        // Many actors, each below the read-burst threshold: the rules do their counting work but raise nothing.
        int actors = Integer.getInteger("strongroom.benchmark.actors", 20_000);
        int rounds = Integer.getInteger("strongroom.benchmark.rounds", 1);
        long prefill = Long.getLong("strongroom.benchmark.prefill", 0);
        String into = System.getProperty("strongroom.benchmark.prefill-into", "history");
        if (!into.equals("history") && !into.equals("current") && !into.equals("recent")) {
            throw new IllegalArgumentException("strongroom.benchmark.prefill-into is history, current or recent, not " + into);
        }
        if (prefill > 0) {
            partitionsAhead();
            if (into.equals("recent")) {
                AuditLogPrefill.splitThisMonth(PartitionPeriod.of(ConfigProvider.getConfig()
                        .getOptionalValue("strongroom.audit.partitions.period", String.class).orElse("month")));
            }
            new AuditLogPrefill(anchors, Integer.getInteger("strongroom.benchmark.prefill-chains", 3),
                    Integer.getInteger("strongroom.benchmark.prefill-chunk", 1_000_000)).fill(prefill, into);
            // What the hourly integrity job will find: the prefill chains intact and not walked (after their checkpoints).
            long verifyStart = System.nanoTime();
            ChainVerification verified = integrity.verify().await().atMost(Duration.ofMinutes(10));
            System.out.printf(Locale.ROOT, "integrity after the prefill: ok %s, %d chains, %d records walked, %d behind checkpoints, %.1f s%n",
                    verified.ok(), verified.chains(), verified.checked(), verified.archived(), seconds(verifyStart));
            assertThat(verified.ok()).as("integrity after the prefill: %s", verified.firstBroken()).isTrue();
        }
        printLog();
        HecReceiver hec = HecReceiver.shared();
        hec.countOnly(true);
        if (warmUp > 0) {
            // The same path, untimed in the results: the JIT compiles the consumer, writer and forwarder.
            round("warm-up", warmUp, actors, hec);
        }
        for (int i = 1; i <= rounds; i++) {
            round(rounds == 1 ? "measured" : "measured " + i + " of " + rounds, events, actors, hec);
        }
        hec.countOnly(false);
    }

    /** Fills the topic with {@code events} reads while consumer and forwarder are paused, then times both stages. */
    private void round(String label, int events, int actors, HecReceiver hec) throws Exception {
        consumer.stopConsuming();
        forwarder.stop();
        long lastIdBefore = lastId();
        long forwardedBefore = hec.countedDistinct();

        long produceStart = System.nanoTime();
        KafkaProducer<String, String> producer = AuditTestSupport.producer();
        EventMac signer = new EventMac(EventMac.key(ConfigProvider.getConfig()
                .getValue("strongroom.audit.producers.secrets-service.key", String.class), "secrets-service"));
        long bytes = 0;
        for (int i = 0; i < events; i++) {
            String actor = "user-" + (i % actors);
            AuditEvent event = AuditEvent.of("secret.read")
                    .actor(new AuditActor("u-" + (i % actors), actor, ActorType.USER, "10.1." + (i % 250) + "." + (i % 200), "strongroom-cli/1.4"))
                    .resource(AuditTarget.of("secret", "s-" + (i % 20_000), "team-" + (i % 40) + "/db/password-" + (i % 20_000))
                            .inEnvironment(i % 3 == 0 ? "production" : "staging").atVersion(1 + i % 7))
                    .requestId("req-" + i)
                    .detail("versionRequested", i % 2 == 0)
                    .build("strongroom/secrets-service");
            String json = AuditJson.write(event);
            bytes += json.length();
            ProducerRecord<String, String> record = new ProducerRecord<>(AuditTestSupport.TOPIC, event.key(), json);
            record.headers().add(EventMac.HEADER, signer.sign(json.getBytes(StandardCharsets.UTF_8)));
            producer.send(record);
        }
        producer.flush();
        double produceSeconds = seconds(produceStart);

        // Progress is read from the consumer's own counter: a COUNT(*) over the growing table every
        // few milliseconds would cost MariaDB as much CPU as the inserts it is measuring.
        long storedBefore = consumer.storedCount();
        long mariadb = ProcessCpu.mariadbPid();
        long[] cpuBefore = {ProcessCpu.self(), ProcessCpu.millis(mariadb)};
        Map<String, Long> threadsBefore = ProcessCpu.byThread(ProcessHandle.current().pid());
        long logStart = System.nanoTime();
        consumer.startConsuming();
        while (consumer.storedCount() - storedBefore < events) {
            Thread.sleep(20);
        }
        double logSeconds = seconds(logStart);
        long[] cpuAfter = {ProcessCpu.self(), ProcessCpu.millis(mariadb)};
        String threads = ProcessCpu.topThreads(threadsBefore, ProcessCpu.byThread(ProcessHandle.current().pid()), 8);

        long hecStart = System.nanoTime();
        forwarder.start();
        // Everything stored is forwarded: the reads and the alerts the rules raised about them.
        long total = ownRecords();
        while (hec.countedDistinct() < total) {
            Thread.sleep(20);
            if (hec.countedDistinct() >= total) {
                total = ownRecords(); // alerts raised late may have joined the log meanwhile
            }
        }
        double hecSeconds = seconds(hecStart);
        long forwarded = hec.countedDistinct() - forwardedBefore;

        System.out.printf(Locale.ROOT, """

                === Audit pipeline benchmark, %s round (%d events, %d actors, avg %d bytes, %d cores) ===
                fill topic (test producer):        %8.0f events/s  (%.1f s)
                Kafka -> hash-chained log:         %8.0f events/s  (%.1f s)
                  CPU per 1,000 events: this JVM (service, broker) %s ms, MariaDB %s ms
                  this JVM's busiest threads: %s
                log -> Splunk HEC receiver:        %8.0f events/s  (%.1f s, %d events incl. alerts)
                ===
                """, label, events, actors, bytes / events, Runtime.getRuntime().availableProcessors(),
                events / produceSeconds, produceSeconds, events / logSeconds, logSeconds,
                ProcessCpu.per(cpuBefore[0], cpuAfter[0], events, 1000), ProcessCpu.per(cpuBefore[1], cpuAfter[1], events, 1000),
                threads,
                forwarded / hecSeconds, hecSeconds,
                forwarded);
        assertThat(storedSince(lastIdBefore, "secret.read")).isEqualTo(events);
        assertThat(hec.countedDistinct()).isEqualTo(ownRecords());
    }

    /**
     * The partition job's first run (1 s after start) creates the coming partitions: its DDL would wait for
     * the fill's running INSERT and hold up every other statement on audit_record meanwhile, so the fill
     * waits for it (or does it itself) instead.
     */
    private void partitionsAhead() throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            partitions.runOnce(); // returns at once while the scheduled run holds the job's lock
            if (partitions.createdAhead()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("audit_record partitions up to " + partitions.aheadUntil() + " were not created within 2 minutes");
            }
            Thread.sleep(200);
        }
    }

    // The counts stay cheap on a log of millions of rows: an id range, or the chains below the prefill's, by index.

    /** The highest record id so far (0 for an empty log). */
    private static long lastId() throws Exception {
        return query("SELECT COALESCE(MAX(id), 0) FROM audit_record");
    }

    /** Records of one action stored after record {@code id}. */
    private static long storedSince(long id, String action) throws Exception {
        return query("SELECT COUNT(*) FROM audit_record WHERE id > " + id + " AND action = '" + action + "'");
    }

    /** Every record the benchmark's events (and the alerts about them) made: all but the prefill. */
    private static long ownRecords() throws Exception {
        return query("SELECT COUNT(*) FROM audit_record WHERE chain_partition < " + AuditLogPrefill.FIRST_CHAIN);
    }

    private static long query(String sql) throws Exception {
        try (Connection c = AuditTestSupport.database(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** How MariaDB runs a query the rounds repeat: each must stay an index range however large the log. */
    private static void explain(Statement s, StringBuilder out, String what, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
            while (rs.next()) {
                out.append(what).append(" query: type ").append(rs.getString("type")).append(", key ").append(rs.getString("key"))
                        .append(", rows ").append(rs.getString("rows")).append(", ").append(rs.getString("Extra")).append('\n');
            }
        }
    }

    /** What the log holds before the rounds: rows per partition (InnoDB's estimate) and sizes, and how the forwarder finds its chains' heads. */
    private static void printLog() throws Exception {
        StringBuilder out = new StringBuilder("\n=== audit log before the rounds ===\n");
        try (Connection c = AuditTestSupport.database(); Statement s = c.createStatement()) {
            long data = 0;
            long index = 0;
            try (ResultSet rs = s.executeQuery("SELECT partition_name, table_rows, data_length, index_length FROM information_schema.partitions"
                    + " WHERE table_schema = DATABASE() AND table_name = 'audit_record' ORDER BY partition_ordinal_position")) {
                while (rs.next()) {
                    out.append(String.format(Locale.ROOT, "audit_record %-10s ~%,12d rows  data %,8.1f MB  indexes %,8.1f MB%n",
                            rs.getString(1), rs.getLong(2), rs.getLong(3) / 1e6, rs.getLong(4) / 1e6));
                    data += rs.getLong(3);
                    index += rs.getLong(4);
                }
            }
            out.append(String.format(Locale.ROOT, "audit_record total: data %,.1f MB + indexes %,.1f MB = %,.1f MB%n",
                    data / 1e6, index / 1e6, (data + index) / 1e6));
            try (ResultSet rs = s.executeQuery("SELECT table_rows, data_length + index_length FROM information_schema.tables"
                    + " WHERE table_schema = DATABASE() AND table_name = 'audit_event_seen'")) {
                if (rs.next()) {
                    out.append(String.format(Locale.ROOT, "audit_event_seen: ~%,d rows, %,.1f MB%n", rs.getLong(1), rs.getLong(2) / 1e6));
                }
            }
            explain(s, out, "forwarder's chain heads", "SELECT chain_partition, MAX(sequence) FROM audit_record GROUP BY chain_partition");
            explain(s, out, "round's own records", "SELECT COUNT(*) FROM audit_record WHERE chain_partition < " + AuditLogPrefill.FIRST_CHAIN);
            explain(s, out, "round's reads", "SELECT COUNT(*) FROM audit_record WHERE id > " + lastId() + " AND action = 'secret.read'");
        }
        System.out.print(out.append("===\n"));
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
