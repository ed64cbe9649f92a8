package dev.strongroom.security.revocation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strongroom.common.kafka.KafkaClientSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Follows the revocation topic on a daemon thread and feeds {@link RevokedSessions}. Every instance
 * reads every partition itself (no consumer group: each replica must see every revocation), starting
 * {@code lookback} ago. A missing broker or topic (a service running without auth-service) is no
 * start-up failure: the listener waits and retries.
 */
@ApplicationScoped
public class RevocationListener {

    private static final Logger LOG = Logger.getLogger(RevocationListener.class);

    private final RevocationConfig config;
    private final RevokedSessions revokedSessions;
    private final ObjectMapper json;
    private final Config rawConfig;
    private final String applicationName;
    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean caughtUp;
    private Thread worker;

    @Inject
    RevocationListener(RevocationConfig config, RevokedSessions revokedSessions, ObjectMapper json, Config rawConfig,
            @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.config = config;
        this.revokedSessions = revokedSessions;
        this.json = json;
        this.rawConfig = rawConfig;
        this.applicationName = applicationName;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("Session revocation listener disabled (strongroom.security.revocation.enabled=false)");
            return;
        }
        running = true;
        worker = Thread.ofPlatform().name("session-revocation-listener").daemon().start(this::run);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (worker != null) {
            try {
                worker.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the listener has read the topic up to its end at least once since start-up. */
    public boolean caughtUp() {
        return caughtUp;
    }

    private void run() {
        boolean warned = false;
        while (running) {
            try (KafkaConsumer<String, String> created = new KafkaConsumer<>(consumerProperties())) {
                consumer = created;
                follow(created);
            } catch (WakeupException e) {
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                if (!warned) {
                    LOG.warnf("Session revocation listener cannot read %s yet (%s); retrying every %s", config.topic(),
                            e.getClass().getSimpleName(), config.retryInterval());
                    warned = true;
                }
            } finally {
                consumer = null;
            }
            pause();
        }
    }

    private void follow(KafkaConsumer<String, String> kafka) {
        List<TopicPartition> partitions = awaitPartitions(kafka);
        if (partitions == null) {
            return;
        }
        kafka.assign(partitions);
        // The ends first: a revocation published between the two lookups is then either found by time or lies
        // after the end, never skipped (with the ends read last, seeking to them jumped over it).
        Map<TopicPartition, Long> ends = kafka.endOffsets(partitions, Duration.ofSeconds(10));
        long since = System.currentTimeMillis() - config.lookback().toMillis();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, since));
        Map<TopicPartition, OffsetAndTimestamp> offsets = kafka.offsetsForTimes(query, Duration.ofSeconds(10));
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp at = offsets.get(partition);
            kafka.seek(partition, at != null ? at.offset() : ends.get(partition));
        }
        LOG.infof("Following session revocations on %s (%d partitions)", config.topic(), partitions.size());
        long lastPrune = System.nanoTime();
        while (running) {
            for (ConsumerRecord<String, String> record : kafka.poll(config.pollTimeout())) {
                apply(record);
            }
            if (!caughtUp && partitions.stream().allMatch(p -> kafka.position(p) >= ends.get(p))) {
                caughtUp = true;
            }
            if (System.nanoTime() - lastPrune > Duration.ofMinutes(1).toNanos()) {
                revokedSessions.prune();
                lastPrune = System.nanoTime();
            }
        }
    }

    /** The topic's partitions, waiting while it does not exist; null when stopping. */
    private List<TopicPartition> awaitPartitions(KafkaConsumer<String, String> kafka) {
        while (running) {
            List<PartitionInfo> infos = kafka.partitionsFor(config.topic(), Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            }
            // Nothing revoked yet anywhere: nothing to refuse.
            caughtUp = true;
            pause();
        }
        return null;
    }

    private void apply(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            return; // a tombstone: compaction housekeeping, nothing to refuse
        }
        try {
            SessionRevocation revocation = json.readValue(record.value(), SessionRevocation.class);
            revokedSessions.apply(revocation);
        } catch (Exception e) {
            LOG.warnf("Ignoring an unreadable session revocation at %s-%d@%d", record.topic(), record.partition(), record.offset());
        }
    }

    private Properties consumerProperties() {
        Properties p = KafkaClientSettings.of(rawConfig);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, applicationName + "-revocations-" + UUID.randomUUID());
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "5000");
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
        return p;
    }

    private void pause() {
        try {
            Thread.sleep(config.retryInterval());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
