package dev.strongroom.audit;

import dev.strongroom.testing.HecReceiver;
import dev.strongroom.testing.ProcessCpu;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strongroom.audit.messaging.AuditLogConsumer;
import dev.strongroom.audit.service.HecForwarder;
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

    @Test
    void measure() throws Exception {
        int events = Integer.getInteger("strongroom.benchmark.events", 100_000);
        int warmUp = Integer.getInteger("strongroom.benchmark.warm-up", 50_000);
        // Many actors, each below the read-burst threshold: the rules do their counting work but raise nothing.
        int actors = Integer.getInteger("strongroom.benchmark.actors", 20_000);
        HecReceiver hec = HecReceiver.shared();
        hec.countOnly(true);
        if (warmUp > 0) {
            // The same path, untimed in the results: the JIT compiles the consumer, writer and forwarder.
            round("warm-up", warmUp, actors, hec);
        }
        round("measured", events, actors, hec);
        hec.countOnly(false);
    }

    /** Fills the topic with {@code events} reads while consumer and forwarder are paused, then times both stages. */
    private void round(String label, int events, int actors, HecReceiver hec) throws Exception {
        consumer.stopConsuming();
        forwarder.stop();
        long baseline = count("secret.read");
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
        long total = count(null);
        while (hec.countedDistinct() < total) {
            Thread.sleep(20);
            if (hec.countedDistinct() >= total) {
                total = count(null); // alerts raised late may have joined the log meanwhile
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
        assertThat(count("secret.read")).isEqualTo(baseline + events);
        assertThat(hec.countedDistinct()).isEqualTo(count(null));
    }

    /** Stored records of one action, or all. */
    private static long count(String action) throws Exception {
        try (Connection c = AuditTestSupport.database(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM audit_record" + (action == null ? "" : " WHERE action = '" + action + "'"))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
