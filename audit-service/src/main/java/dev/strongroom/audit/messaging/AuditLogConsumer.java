package dev.strongroom.audit.messaging;

import dev.strongroom.audit.config.AuditLogConfig;
import dev.strongroom.audit.service.AlertNotifier;
import dev.strongroom.audit.service.AlertRules;
import dev.strongroom.audit.service.AuditLogWriter;
import dev.strongroom.audit.service.ChainAnchors;
import dev.strongroom.audit.service.IncomingRecord;
import dev.strongroom.audit.service.ProducerKeys;
import dev.strongroom.audit.service.RejectReason;
import dev.strongroom.common.audit.AuditConfig;
import dev.strongroom.common.audit.Backoff;
import dev.strongroom.common.audit.EventMac;
import dev.strongroom.common.kafka.KafkaClientSettings;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
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
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Consumes strongroom.audit.v1 into the chained log on dedicated threads ({@code consumers} lanes of
 * one consumer group, each owning some partitions, so chains are stored in parallel): each poll is stored in
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
    private final ProducerKeys producerKeys;
    private final ChainAnchors anchors;
    private final MeterRegistry registry;
    private final AtomicLong stored = new AtomicLong();
    private Counter storedCounter;
    private Counter duplicateCounter;
    private Counter rejectedCounter;
    private Counter failureCounter;
    private final Map<RejectReason, Counter> rejectedBy = new EnumMap<>(RejectReason.class);
    private volatile boolean running;
    private final List<Lane> lanes = new ArrayList<>();

    @Inject
    AuditLogConsumer(AuditLogConfig config, AuditConfig auditConfig, AgroalDataSource dataSource, Config rawConfig,
            AlertRules alertRules, AlertNotifier notifier, ProducerKeys producerKeys, ChainAnchors anchors,
            MeterRegistry registry) {
        this.config = config;
        this.auditConfig = auditConfig;
        this.dataSource = dataSource;
        this.rawConfig = rawConfig;
        this.alertRules = alertRules;
        this.notifier = notifier;
        this.producerKeys = producerKeys;
        this.anchors = anchors;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        storedCounter = Counter.builder("strongroom.audit.log.stored").description("Events appended to the audit chains").register(registry);
        duplicateCounter = Counter.builder("strongroom.audit.log.duplicates").description("Events dropped because their id was already stored").register(registry);
        rejectedCounter = Counter.builder("strongroom.audit.log.rejected").description("Records that were not valid audit events").register(registry);
        failureCounter = Counter.builder("strongroom.audit.log.failures").description("Batches that failed to store and were retried").register(registry);
        for (RejectReason reason : RejectReason.values()) {
            rejectedBy.put(reason, Counter.builder("strongroom.audit.events.rejected").tag("reason", reason.label())
                    .description("Records kept out of the log: malformed, unsigned, from an unknown producer or forged").register(registry));
        }
        if (!config.enabled()) {
            LOG.info("Audit log consumer disabled (strongroom.audit.log.enabled=false)");
            return;
        }
        startConsuming();
    }

    void stop(@Observes ShutdownEvent event) {
        stopConsuming();
        List.of(storedCounter, duplicateCounter, rejectedCounter, failureCounter).forEach(registry::remove);
        rejectedBy.values().forEach(registry::remove);
    }

    /** Starts the consuming threads (again). */
    public synchronized void startConsuming() {
        if (running) {
            return;
        }
        running = true;
        for (int i = 0; i < Math.max(1, config.consumers()); i++) {
            Lane lane = new Lane(i);
            lanes.add(lane);
            lane.worker = Thread.ofPlatform().name("audit-log-consumer-" + i).daemon().start(() -> run(lane));
        }
    }

    /** Stops consuming after the batches in hand; what was stored stays stored, the rest waits in Kafka. */
    public synchronized void stopConsuming() {
        running = false;
        for (Lane lane : lanes) {
            KafkaConsumer<String, String> current = lane.consumer;
            if (current != null) {
                current.wakeup();
            }
            LockSupport.unpark(lane.worker);
        }
        for (Lane lane : lanes) {
            try {
                lane.worker.join(Duration.ofSeconds(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lanes.clear();
    }

    /** One consumer of the group: a polling thread and its store thread. */
    private static final class Lane {
        final int index;
        volatile KafkaConsumer<String, String> consumer;
        Thread worker;

        Lane(int index) {
            this.index = index;
        }
    }

    /** Events stored by this instance since start. */
    public long storedCount() {
        return stored.get();
    }

    /** A poll's records, parsed, on their way to the store thread. */
    private record Work(int generation, AuditLogWriter.Prepared prepared, int records, Map<TopicPartition, OffsetAndMetadata> commit,
            Map<TopicPartition, Long> first) {}

    /** What the store thread did with a Work: stored (batch), skipped after a failure, or failed. */
    private record Result(Work work, AuditLogWriter.Batch batch, Exception failure, boolean skipped) {}

    private static final Work STOP = new Work(-1, null, 0, Map.of(), Map.of());

    /**
     * Two stages: this (polling) thread polls and parses batch N+1 while the store thread writes
     * batch N; offsets are committed here, in order, as the store thread reports each batch stored.
     * After a failed batch the store thread skips what was queued behind it, and this thread
     * rewinds every partition to the first unstored record and backs off.
     */
    private void run(Lane lane) {
        AuditLogWriter writer = new AuditLogWriter(Clock.systemUTC(), anchors);
        ProducerKeys.Verifier signatures = producerKeys.verifier();
        Backoff backoff = new Backoff(config.backoffInitial(), config.backoffMax());
        BlockingQueue<Work> work = new ArrayBlockingQueue<>(2);
        BlockingQueue<Result> results = new LinkedBlockingQueue<>();
        Set<Integer> forget = ConcurrentHashMap.newKeySet();
        AtomicInteger generation = new AtomicInteger();
        int[] inFlight = {0};
        int failedInRow = 0;
        Thread store = Thread.ofPlatform().name("audit-log-store-" + lane.index).daemon().start(() -> storeLoop(writer, work, results, forget));
        try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(consumerProperties(lane.index));
                // the consumer's own metrics (records lag, fetch rate) for the audit pipeline dashboard and alerts
                KafkaClientMetrics kafkaMetrics = new KafkaClientMetrics(kafka, List.of(Tag.of("lane", Integer.toString(lane.index))))) {
            kafkaMetrics.bindTo(registry);
            lane.consumer = kafka;
            kafka.subscribe(List.of(auditConfig.topic()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // Finish and commit what is in flight while we still own the partitions.
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (inFlight[0] > 0 && System.nanoTime() - deadline < 0) {
                        Result result = take(results, Duration.ofMillis(100));
                        if (result != null) {
                            inFlight[0]--;
                            if (result.batch() != null) {
                                committed(kafka, result);
                            }
                        }
                    }
                    forget.addAll(partitions.stream().map(TopicPartition::partition).toList());
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    forget.addAll(partitions.stream().map(TopicPartition::partition).toList());
                }
            });
            while (running) {
                Result result = inFlight[0] >= 2 ? take(results, Duration.ofMillis(100)) : results.poll();
                if (result != null) {
                    inFlight[0]--;
                    if (result.batch() != null) {
                        committed(kafka, result);
                        failedInRow = 0;
                    } else {
                        Exception failure = result.failure();
                        generation.incrementAndGet();
                        Map<TopicPartition, Long> rewind = new HashMap<>(result.work().first());
                        while (inFlight[0] > 0) {
                            Result skipped = take(results, Duration.ofSeconds(1));
                            if (skipped != null) {
                                inFlight[0]--;
                                skipped.work().first().forEach((partition, offset) -> rewind.merge(partition, offset, Math::min));
                            }
                        }
                        rewind.forEach((partition, offset) -> {
                            if (kafka.assignment().contains(partition)) {
                                kafka.seek(partition, offset);
                            }
                        });
                        failureCounter.increment();
                        Duration pause = backoff.delay(++failedInRow);
                        LOG.warnf("Audit log batch of %d records not stored (%s: %s); retrying in %d ms", result.work().records(),
                                failure.getClass().getSimpleName(), failure.getMessage(), pause.toMillis());
                        sleep(pause);
                    }
                    continue;
                }
                if (inFlight[0] >= 2) {
                    continue;
                }
                ConsumerRecords<String, String> records;
                try {
                    records = kafka.poll(config.pollTimeout());
                } catch (WakeupException e) {
                    break;
                }
                if (records.isEmpty()) {
                    continue;
                }
                List<IncomingRecord> incoming = new ArrayList<>(records.count());
                Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
                Map<TopicPartition, Long> first = new HashMap<>();
                for (TopicPartition partition : records.partitions()) {
                    List<ConsumerRecord<String, String>> list = records.records(partition);
                    first.put(partition, list.getFirst().offset());
                    commit.put(partition, new OffsetAndMetadata(list.getLast().offset() + 1));
                    for (ConsumerRecord<String, String> record : list) {
                        Header signature = record.headers().lastHeader(EventMac.HEADER);
                        incoming.add(new IncomingRecord(record.partition(), record.offset(), record.value(),
                                signature == null ? null : signature.value()));
                    }
                }
                inFlight[0]++;
                put(work, new Work(generation.get(), AuditLogWriter.prepare(incoming, signatures), records.count(), commit, first));
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.error("Audit log consumer stopped", e);
        } finally {
            lane.consumer = null;
            work.clear();
            put(work, STOP);
            try {
                store.join(Duration.ofSeconds(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The store thread: one transaction per Work, in order; after a failure it skips the rest of that generation. */
    private void storeLoop(AuditLogWriter writer, BlockingQueue<Work> work, BlockingQueue<Result> results, Set<Integer> forget) {
        int failedGeneration = -1;
        long nextPrune = System.nanoTime();
        while (true) {
            Work next;
            try {
                next = work.take();
            } catch (InterruptedException e) {
                return;
            }
            if (next == STOP) {
                return;
            }
            if (next.generation() <= failedGeneration) {
                results.add(new Result(next, null, null, true));
                continue;
            }
            List<Integer> stale = new ArrayList<>(forget);
            forget.removeAll(stale);
            writer.forget(stale);
            boolean prune = System.nanoTime() - nextPrune >= 0;
            try {
                AuditLogWriter.Batch batch = store(writer, next.prepared(), prune);
                if (prune) {
                    nextPrune = System.nanoTime() + Duration.ofMinutes(1).toNanos();
                }
                writer.committed(batch);
                results.add(new Result(next, batch, null, false));
            } catch (Exception e) {
                writer.forgetAll();
                failedGeneration = next.generation();
                results.add(new Result(next, null, e, false));
            }
        }
    }

    private AuditLogWriter.Batch store(AuditLogWriter writer, AuditLogWriter.Prepared prepared, boolean prune) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            try {
                AuditLogWriter.Batch batch = writer.append(connection, prepared);
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

    private void committed(KafkaConsumer<String, String> kafka, Result result) {
        commitOffsets(kafka, result.work().commit());
        AuditLogWriter.Batch batch = result.batch();
        stored.addAndGet(batch.stored().size());
        storedCounter.increment(batch.stored().size());
        duplicateCounter.increment(batch.duplicates());
        rejectedCounter.increment(batch.rejected().size());
        if (!batch.rejected().isEmpty()) {
            refused(batch.rejected());
        }
    }

    /** Counts refused records by reason and says where they are (never what they say: they are kept in audit_rejected). */
    private void refused(List<AuditLogWriter.Rejected> rejected) {
        Map<RejectReason, List<String>> places = new EnumMap<>(RejectReason.class);
        for (AuditLogWriter.Rejected r : rejected) {
            rejectedBy.get(r.kind()).increment();
            places.computeIfAbsent(r.kind(), k -> new ArrayList<>()).add(r.record().partition() + "@" + r.record().offset());
        }
        places.forEach((reason, where) -> LOG.warnf("Refused %d %s audit record(s) from %s (kept in audit_rejected)", where.size(),
                reason.label(), where.size() <= 10 ? where : where.subList(0, 10) + " and " + (where.size() - 10) + " more"));
    }

    private static Result take(BlockingQueue<Result> results, Duration wait) {
        try {
            return results.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void put(BlockingQueue<Work> work, Work item) {
        try {
            work.put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Commits the offsets after the last stored record of each partition. */
    private static void commitOffsets(KafkaConsumer<String, String> kafka, Map<TopicPartition, OffsetAndMetadata> offsets) {
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

    private Properties consumerProperties(int lane) {
        Properties p = KafkaClientSettings.of(rawConfig);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "audit-service-log-" + lane);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.maxPollRecords()));
        // Notice the topic soon after the first relay creates it.
        p.putIfAbsent(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "10000");
        // A fetch a little larger than a poll (2,000 events of ~1 KB): larger ones only sit in the heap (with
        // 64 MB per lane G1 ran out of room to evacuate under a backlog and spent a fifth of the CPU).
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024));
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(2 * 1024 * 1024));
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
