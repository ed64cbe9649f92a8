package dev.strongroom.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every record on the shared test broker's {@code strongroom.audit.v1} topic, from the earliest offset,
 * collected by one background consumer per test JVM: parsed events for assertions, raw text for leak scans.
 */
public final class AuditTopic {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<JsonNode> EVENTS = new CopyOnWriteArrayList<>();
    private static final List<String> RAW = new CopyOnWriteArrayList<>();
    /** A private monitor: no outside code can hold it (find-sec-bugs USO_UNSAFE_STATIC_METHOD_SYNCHRONIZATION). */
    private static final Object LOCK = new Object();
    private static Thread consumer;

    private AuditTopic() {}

    /** The events received so far (starts the consumer on first use). */
    public static List<JsonNode> events() {
        start();
        return EVENTS;
    }

    /** Every record's text received so far, JSON or not (starts the consumer on first use). */
    public static List<String> raw() {
        start();
        return RAW;
    }

    /** The events of {@code action} about {@code subject} ({@code <type>/<id>}) received so far, in arrival order. */
    public static List<JsonNode> about(String action, String subject) {
        start();
        return EVENTS.stream()
                .filter(e -> action.equals(e.path("data").path("action").asText()) && subject.equals(e.path("subject").asText()))
                .toList();
    }

    /**
     * Waits up to 30 seconds for an event of {@code action} about {@code subject} ({@code <type>/<id>}) that
     * also meets {@code condition}, and returns the first one.
     */
    public static JsonNode await(String action, String subject, Predicate<JsonNode> condition) {
        start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            for (JsonNode event : EVENTS) {
                if (action.equals(event.path("data").path("action").asText())
                        && subject.equals(event.path("subject").asText())
                        && condition.test(event)) {
                    return event;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + action + " event about " + subject + " met the condition within 30 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + action + " about " + subject, e);
            }
        }
    }

    public static void start() {
        synchronized (LOCK) {
            if (consumer != null) {
                return;
            }
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.shared().bootstrapServers());
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "audit-topic-tests-" + System.nanoTime());
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
            consumer = Thread.ofPlatform().daemon().name("audit-topic-test-consumer").start(() -> {
                try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(p)) {
                    kafka.subscribe(java.util.regex.Pattern.compile("strongroom\\.audit\\.v1"));
                    while (!Thread.currentThread().isInterrupted()) {
                        for (ConsumerRecord<String, String> record : kafka.poll(Duration.ofMillis(200))) {
                            RAW.add(record.value());
                            try {
                                EVENTS.add(JSON.readTree(record.value()));
                            } catch (Exception e) {
                                // not JSON: RAW keeps it for the leak scan
                            }
                        }
                    }
                }
            });
        }
    }
}
