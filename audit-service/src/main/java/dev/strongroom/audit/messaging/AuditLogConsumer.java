package dev.strongroom.audit.messaging;

import dev.strongroom.audit.config.AuditLogConfig;
import dev.strongroom.audit.service.AlertNotifier;
import dev.strongroom.audit.service.AlertRules;
import dev.strongroom.audit.service.AuditLogWriter;
import dev.strongroom.audit.service.IncomingRecord;
import dev.strongroom.common.audit.AuditConfig;
import dev.strongroom.common.audit.Backoff;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Consumes strongroom.audit.v1 into the chained log on a dedicated thread: each poll is stored in
 * ONE database transaction (events, rejects, alert counters, alert events), and its offsets are
 * committed to Kafka only after that transaction committed. A failed batch is rolled back, the
 * partitions are rewound to the batch's first offsets and retried with backoff; a batch stored
 * but not committed to Kafka is delivered again and its events are dropped as duplicates.
 */
@ApplicationScoped
public class AuditLogConsumer {

    private static final Logger LOG = Logger.getLogger(AuditLogConsumer.class);

    private final AuditLogConfig config;
    private final AuditConfig auditConfig;
    private final AgroalDataSource dataSource;
    private final Config rawConfig;
    private final AlertRules alertRules;
    private final AlertNotifier notifier;
    private final MeterRegistry registry;
    private final AtomicLong stored = new AtomicLong();
    private Counter storedCounter;
    private Counter duplicateCounter;
    private Counter rejectedCounter;
    private Counter failureCounter;
    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread worker;

    @Inject
    AuditLogConsumer(AuditLogConfig config, AuditConfig auditConfig, AgroalDataSource dataSource, Config rawConfig,
            AlertRules alertRules, AlertNotifier notifier, MeterRegistry registry) {
        this.config = config;
        this.auditConfig = auditConfig;
        this.dataSource = dataSource;
        this.rawConfig = rawConfig;
        this.alertRules = alertRules;
        this.notifier = notifier;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        storedCounter = Counter.builder("strongroom.audit.log.stored").description("Events appended to the audit chains").register(registry);
        duplicateCounter = Counter.builder("strongroom.audit.log.duplicates").description("Events dropped because their id was already stored").register(registry);
        rejectedCounter = Counter.builder("strongroom.audit.log.rejected").description("Records that were not valid audit events").register(registry);
        failureCounter = Counter.builder("strongroom.audit.log.failures").description("Batches that failed to store and were retried").register(registry);
        if (!config.enabled()) {
            LOG.info("Audit log consumer disabled (strongroom.audit.log.enabled=false)");
            return;
        }
        startConsuming();
    }

    void stop(@Observes ShutdownEvent event) {
        stopConsuming();
        List.of(storedCounter, duplicateCounter, rejectedCounter, failureCounter).forEach(registry::remove);
    }

    /** Starts the consuming thread (again). */
    public synchronized void startConsuming() {
        if (running) {
            return;
        }
        running = true;
        worker = Thread.ofPlatform().name("audit-log-consumer").daemon().start(this::run);
    }

    /** Stops consuming after the batch in hand; what was stored stays stored, the rest waits in Kafka. */
    public synchronized void stopConsuming() {
        running = false;
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (worker != null) {
            LockSupport.unpark(worker);
            try {
                worker.join(Duration.ofSeconds(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worker = null;
        }
    }

    /** Events stored by this instance since start. */
    public long storedCount() {
        return stored.get();
    }

    private void run() {
        AuditLogWriter writer = new AuditLogWriter(config.insertChunk(), Clock.systemUTC());
        Backoff backoff = new Backoff(config.backoffInitial(), config.backoffMax());
        int failedInRow = 0;
        long nextPrune = 0;
        try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(consumerProperties())) {
            consumer = kafka;
            kafka.subscribe(List.of(auditConfig.topic()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    writer.forget(partitions.stream().map(TopicPartition::partition).toList());
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    writer.forget(partitions.stream().map(TopicPartition::partition).toList());
                }
            });
            while (running) {
                ConsumerRecords<String, String> records;
                try {
                    records = kafka.poll(config.pollTimeout());
                } catch (WakeupException e) {
                    break;
                }
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    AuditLogWriter.Batch batch = store(writer, records, System.nanoTime() - nextPrune >= 0);
                    if (System.nanoTime() - nextPrune >= 0) {
                        nextPrune = System.nanoTime() + Duration.ofMinutes(1).toNanos();
                    }
                    writer.committed(batch);
                    commitOffsets(kafka, records);
                    stored.addAndGet(batch.stored().size());
                    storedCounter.increment(batch.stored().size());
                    duplicateCounter.increment(batch.duplicates());
                    rejectedCounter.increment(batch.rejected());
                    failedInRow = 0;
                } catch (WakeupException e) {
                    break;
                } catch (Exception e) {
                    failureCounter.increment();
                    writer.forgetAll();
                    rewind(kafka, records);
                    Duration pause = backoff.delay(++failedInRow);
                    LOG.warnf("Audit log batch of %d records not stored (%s: %s); retrying in %d ms", records.count(),
                            e.getClass().getSimpleName(), e.getMessage(), pause.toMillis());
                    sleep(pause);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Audit log consumer stopped", e);
        } finally {
            consumer = null;
        }
    }

    private AuditLogWriter.Batch store(AuditLogWriter writer, ConsumerRecords<String, String> records, boolean prune) throws Exception {
        List<IncomingRecord> incoming = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            incoming.add(new IncomingRecord(record.partition(), record.offset(), record.value()));
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            try {
                AuditLogWriter.Batch batch = writer.append(connection, incoming);
                List<AlertRules.Raised> raised = alertRules.evaluate(connection, batch.stored());
                if (prune) {
                    alertRules.prune(connection, Instant.now());
                }
                connection.commit();
                notifier.raised(raised);
                return batch;
            } catch (Exception e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** Commits the offset after the last record of each partition in the batch. */
    private void commitOffsets(KafkaConsumer<String, String> kafka, ConsumerRecords<String, String> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, String>> list = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(list.getLast().offset() + 1));
        }
        try {
            kafka.commitSync(offsets);
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            // Stored already: a redelivery after a rebalance is dropped as duplicates.
            LOG.warnf("Offsets of a stored audit batch not committed (%s); its events may be redelivered and deduplicated",
                    e.getClass().getSimpleName());
        }
    }

    /** Moves each partition of the failed batch back to the batch's first record. */
    private static void rewind(KafkaConsumer<String, String> kafka, ConsumerRecords<String, String> records) {
        Map<TopicPartition, Long> first = new LinkedHashMap<>();
        for (TopicPartition partition : records.partitions()) {
            first.put(partition, records.records(partition).getFirst().offset());
        }
        first.forEach((partition, offset) -> {
            if (kafka.assignment().contains(partition)) {
                kafka.seek(partition, offset);
            }
        });
    }

    private Properties consumerProperties() {
        Properties p = new Properties();
        for (String name : rawConfig.getPropertyNames()) {
            if (name.startsWith("kafka.") && !name.startsWith("kafka.health")) {
                rawConfig.getOptionalValue(name, String.class).ifPresent(value -> p.put(name.substring(6), value));
            }
        }
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "audit-service-log");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.maxPollRecords()));
        // Notice the topic soon after the first relay creates it.
        p.putIfAbsent(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "10000");
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(64 * 1024 * 1024));
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return p;
    }

    private void sleep(Duration pause) {
        long deadline = System.nanoTime() + pause.toNanos();
        while (running && deadline - System.nanoTime() > 0) {
            LockSupport.parkNanos(this, deadline - System.nanoTime());
        }
    }
}
