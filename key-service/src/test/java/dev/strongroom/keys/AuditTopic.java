package dev.strongroom.keys;

import dev.strongroom.testing.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The audit topic as a test reads it: every event value from the start, by a fresh consumer group. */
final class AuditTopic implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<String> events = new ArrayList<>();

    AuditTopic() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.shared().bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "key-service-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of("strongroom.audit.v1"));
    }

    /** Every event value read so far, after polling once more. */
    List<String> poll() {
        consumer.poll(Duration.ofMillis(500)).forEach(record -> events.add(record.value()));
        return events;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
