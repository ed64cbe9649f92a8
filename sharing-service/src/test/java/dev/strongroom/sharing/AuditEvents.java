package dev.strongroom.sharing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strongroom.testing.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/** Every event on the real broker's {@code strongroom.audit.v1}, collected by one background consumer per test JVM. */
final class AuditEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<JsonNode> EVENTS = new CopyOnWriteArrayList<>();
    static final List<String> RAW = new CopyOnWriteArrayList<>();
    private static Thread consumer;

    private AuditEvents() {}

    static synchronized void start() {
        if (consumer != null) {
            return;
        }
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.shared().bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "sharing-service-tests-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
        consumer = Thread.ofPlatform().daemon().name("sharing-audit-test-consumer").start(() -> {
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

    /** Events of this action about this share. */
    static List<JsonNode> of(String action, String shareId) {
        start();
        return EVENTS.stream()
                .filter(e -> action.equals(e.path("data").path("action").asText()) && ("share/" + shareId).equals(e.path("subject").asText()))
                .toList();
    }

    /** Waits until an event matching all conditions arrived and returns it. */
    static JsonNode await(String action, String shareId, Predicate<JsonNode> condition) {
        start();
        JsonNode[] found = new JsonNode[1];
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (JsonNode event : of(action, shareId)) {
                if (condition.test(event)) {
                    found[0] = event;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    static JsonNode await(String action, String shareId) {
        return await(action, shareId, e -> true);
    }

    /** Waits until exactly {@code count} events of this action about this share arrived (and a moment more). */
    static List<JsonNode> awaitCount(String action, String shareId, int count) {
        start();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> of(action, shareId).size() >= count);
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return of(action, shareId);
    }
}
