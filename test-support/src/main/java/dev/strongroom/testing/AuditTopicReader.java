package dev.strongroom.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads everything on strongroom.audit.v1 from the beginning (committed records only), as a fresh consumer
 * group: for a test that wants the records themselves, or its own reader, rather than {@link AuditTopic}'s
 * shared one.
 */
public final class AuditTopicReader implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    public AuditTopicReader() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.shared().bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of("strongroom.audit.v1"));
    }

    /** Everything read so far, after polling for up to {@code wait}. */
    public List<ConsumerRecord<String, String>> poll(Duration wait) {
        consumer.poll(wait).forEach(seen::add);
        return seen;
    }

    /** The values of everything read so far, after polling for up to half a second. */
    public List<String> values() {
        return poll(Duration.ofMillis(500)).stream().map(ConsumerRecord::value).toList();
    }

    public List<ConsumerRecord<String, String>> seen() {
        return seen;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
