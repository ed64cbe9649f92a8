package dev.strongroom.audit.bench;

import dev.strongroom.common.audit.ActorType;
import dev.strongroom.common.audit.AuditActor;
import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.audit.AuditJson;
import dev.strongroom.common.audit.AuditTarget;
import dev.strongroom.common.audit.EventMac;
import dev.strongroom.testing.ProcessCpu;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Load run against a started stack ({@code ./strongroom up}): audit-service in its own JVM, the
 * stack's broker, MariaDB. Publishes {@code secret.read} events to strongroom.audit.v1 the way the
 * relays do, as fast as the broker takes them, and reads audit-service's
 * {@code strongroom_audit_log_stored_total} until every one is in the chained log. Prints events/s
 * and the CPU each process spent per 1,000 events, end to end and for the backlog still in Kafka
 * when publishing ended (Kafka into the log with nothing else running). Run with
 * <pre>./mvnw -pl audit-service -Pbench test-compile exec:exec -Dbench.args="--events 300000"</pre>
 * Options: --home DIR (default .strongroom, for the pids), --bootstrap HOST:PORT (default
 * 127.0.0.1:9092), --audit-url URL (default http://127.0.0.1:8084), --events N, --warm-up N, --actors N.
 */
public final class AuditStackLoad {

    private static final String TOPIC = "strongroom.audit.v1";

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path home = Path.of(options.getOrDefault("home", ".strongroom")).toAbsolutePath();
        int events = Integer.parseInt(options.getOrDefault("events", "300000"));
        int warmUp = Integer.parseInt(options.getOrDefault("warm-up", "100000"));
        int actors = Integer.parseInt(options.getOrDefault("actors", "200"));
        Stack stack = Stack.of(home, options.getOrDefault("bootstrap", "127.0.0.1:9092"),
                options.getOrDefault("audit-url", "http://127.0.0.1:8084"));
        System.out.printf(Locale.ROOT, "stack at %s: broker %s, audit-service %s (pid %d)%n", home, stack.bootstrap, stack.metrics, stack.auditPid);

        // audit-service chains only signed events: sign as secrets-service, with the key ./strongroom up made for it
        EventMac signer = new EventMac(EventMac.key(Files.readAllLines(home.resolve("secrets/audit-keys")).stream()
                .filter(line -> line.startsWith("secrets-service ")).findFirst().orElseThrow().split(" ")[1], "secrets-service"));
        try (KafkaProducer<String, String> producer = producer(stack.bootstrap)) {
            if (warmUp > 0) {
                round("warm-up", warmUp, actors, producer, signer, stack);
            }
            round("measured", events, actors, producer, signer, stack);
        }
    }

    private static void round(String label, int events, int actors, KafkaProducer<String, String> producer, EventMac signer, Stack stack)
            throws Exception {
        double stored0 = stack.stored();
        long mariadb = ProcessCpu.mariadbPid();
        long[] before = {ProcessCpu.millis(stack.auditPid), ProcessCpu.millis(mariadb), ProcessCpu.millis(stack.kafkaPid), ProcessCpu.self()};
        long start = System.nanoTime();
        for (int i = 0; i < events; i++) {
            AuditEvent event = AuditEvent.of("secret.read")
                    .actor(new AuditActor("u-" + (i % actors), "user-" + (i % actors), ActorType.USER, "10.1." + (i % 250) + "." + (i % 200), "strongroom-cli/1.4"))
                    .resource(AuditTarget.of("secret", "s-" + (i % 20_000), "team-" + (i % 40) + "/db/password-" + (i % 20_000))
                            .inEnvironment(i % 3 == 0 ? "production" : "staging").atVersion(1 + i % 7))
                    .requestId("load-" + i)
                    .build("strongroom/secrets-service");
            String json = AuditJson.write(event);
            ProducerRecord<String, String> record = new ProducerRecord<>(TOPIC, event.key(), json);
            record.headers().add(EventMac.HEADER, signer.sign(json.getBytes(StandardCharsets.UTF_8)));
            producer.send(record);
        }
        producer.flush();
        long publishedAt = System.nanoTime();
        double published = (publishedAt - start) / 1e9;
        // From here on nothing but the stack works: what is still in Kafka is drained into the log.
        double storedWhenPublished = stack.stored();
        long[] drainFrom = {ProcessCpu.millis(stack.auditPid), ProcessCpu.millis(mariadb), ProcessCpu.millis(stack.kafkaPid)};
        double stored;
        while ((stored = stack.stored()) < stored0 + events) {
            Thread.sleep(50);
        }
        long end = System.nanoTime();
        double seconds = (end - start) / 1e9;
        long[] after = {ProcessCpu.millis(stack.auditPid), ProcessCpu.millis(mariadb), ProcessCpu.millis(stack.kafkaPid), ProcessCpu.self()};
        long backlog = Math.round(stored0 + events - storedWhenPublished);
        double drainSeconds = (end - publishedAt) / 1e9;
        System.out.printf(Locale.ROOT, """

                === %s: %d events published in %.1f s, all in the chained log after %.1f s ===
                into the log:  %8.0f events/s (published and stored, end to end)
                CPU per 1,000 events: audit-service %s ms, MariaDB %s ms, broker %s ms, this load generator %s ms
                Kafka -> log:  %8.0f events/s once publishing ended (a backlog of %d events drained in %.1f s)
                CPU per 1,000 events while draining: audit-service %s ms, MariaDB %s ms, broker %s ms
                """, label, events, published, seconds, (stored - stored0) / seconds,
                ProcessCpu.per(before[0], after[0], events, 1000), ProcessCpu.per(before[1], after[1], events, 1000),
                ProcessCpu.per(before[2], after[2], events, 1000), ProcessCpu.per(before[3], after[3], events, 1000),
                backlog / drainSeconds, backlog, drainSeconds,
                ProcessCpu.per(drainFrom[0], after[0], backlog, 1000), ProcessCpu.per(drainFrom[1], after[1], backlog, 1000),
                ProcessCpu.per(drainFrom[2], after[2], backlog, 1000));
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /** Where the started stack's parts are; pids from its home (the files ./strongroom up writes). */
    private record Stack(String bootstrap, URI metrics, long auditPid, long kafkaPid, HttpClient http) {

        static Stack of(Path home, String bootstrap, String auditUrl) {
            return new Stack(bootstrap, URI.create(auditUrl + "/q/metrics"), pid(home, "audit-service"), pid(home, "kafka"),
                    HttpClient.newHttpClient());
        }

        private static long pid(Path home, String name) {
            try {
                return Long.parseLong(Files.readString(home.resolve("run/" + name + ".pid")).trim());
            } catch (Exception e) {
                return -1; // not started by this home: its CPU column shows "?"
            }
        }

        double stored() throws Exception {
            String text = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
            return text.lines().filter(line -> line.startsWith("strongroom_audit_log_stored_total"))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        }
    }
}
