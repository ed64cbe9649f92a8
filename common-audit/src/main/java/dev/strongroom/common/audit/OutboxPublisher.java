package dev.strongroom.common.audit;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One relay step: takes due outbox rows with {@code SELECT … FOR UPDATE SKIP LOCKED} (so replicas
 * never take the same row), publishes them with an idempotent producer ({@code acks=all}), deletes
 * those the broker acknowledged and commits. A crash between acknowledgement and commit republishes
 * the rows: delivery is at least once, and audit-service drops duplicates by event id.
 * Each record carries the service's signature ({@link EventMac}), which audit-service checks.
 * Blocking by design (JDBC and the Kafka producer); {@link OutboxRelay} runs it on its own thread.
 */
public final class OutboxPublisher implements AutoCloseable {

    // Walks the primary key in id (time) order; rows another relay holds are skipped, never waited for.
    static final String SELECT_DUE = "SELECT id, record_key, event, attempts FROM audit_outbox FORCE INDEX (PRIMARY)"
            + " WHERE next_attempt_at <= ? ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED";
    static final String DELETE = "DELETE FROM audit_outbox WHERE id = ?";
    static final String POSTPONE = "UPDATE audit_outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?";
    private static final byte[] CONTENT_TYPE = AuditEvent.CLOUDEVENTS_JSON.getBytes(StandardCharsets.UTF_8);
    static final String COUNT_PENDING = "SELECT COUNT(*), MIN(created_at) FROM audit_outbox";

    private final DataSource dataSource;
    private final Supplier<Producer<String, String>> producerFactory;
    private final String topic;
    private final int batchSize;
    private final Duration sendTimeout;
    private final Backoff rowBackoff;
    private final Clock clock;
    private final EventMac signer;
    private Producer<String, String> producer;

    /** The outcome of one step: rows published, and the failure that stopped the rest (null if none). */
    public record Result(int published, int failed, Exception failure) {}

    /** {@code signer} signs every record ({@link EventMac#HEADER}); null publishes them unsigned. */
    public OutboxPublisher(DataSource dataSource, Supplier<Producer<String, String>> producerFactory, String topic,
            int batchSize, Duration sendTimeout, Backoff rowBackoff, Clock clock, EventMac signer) {
        this.dataSource = dataSource;
        this.producerFactory = producerFactory;
        this.topic = topic;
        this.batchSize = batchSize;
        this.sendTimeout = sendTimeout;
        this.rowBackoff = rowBackoff;
        this.clock = clock;
        this.signer = signer;
    }

    /** Producer settings for the relay; {@code base} holds the deployment's kafka.* settings (servers, TLS, SASL). */
    public static Properties producerProperties(Map<String, String> base, String clientId, Duration sendTimeout) {
        Properties p = new Properties();
        p.putAll(base);
        long deliveryMs = Math.max(sendTimeout.toMillis(), 2000);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.min(deliveryMs - 10, 15000)));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(deliveryMs));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(Math.min(deliveryMs, 5000)));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    public static Supplier<Producer<String, String>> producerFactory(Properties properties) {
        return () -> new KafkaProducer<>(properties);
    }

    /** Publishes up to one batch of due rows. Database failures propagate; Kafka failures are in the result. */
    public Result publishDue() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            // Row locks only (no gap locks), so services keep inserting while a batch is in flight.
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            try {
                Result result = publishDue(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private Result publishDue(Connection connection) throws SQLException {
        List<Row> rows = selectDue(connection);
        if (rows.isEmpty()) {
            return new Result(0, 0, null);
        }
        List<Future<RecordMetadata>> sends = new ArrayList<>(rows.size());
        Exception failure = null;
        try {
            Producer<String, String> kafka = producer();
            for (Row row : rows) {
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, row.key(), row.event());
                record.headers().add(new RecordHeader("content-type", CONTENT_TYPE));
                if (signer != null) {
                    // over the bytes the StringSerializer sends
                    record.headers().add(new RecordHeader(EventMac.HEADER, signer.sign(row.event().getBytes(StandardCharsets.UTF_8))));
                }
                sends.add(kafka.send(record));
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        List<Row> published = new ArrayList<>();
        List<Row> poisoned = new ArrayList<>();
        long deadline = System.nanoTime() + sendTimeout.toNanos() + TimeUnit.SECONDS.toNanos(5);
        for (int i = 0; i < sends.size(); i++) {
            try {
                sends.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                published.add(rows.get(i));
            } catch (ExecutionException e) {
                Exception cause = e.getCause() instanceof Exception c ? c : e;
                failure = failure == null ? cause : failure;
                if (!(cause instanceof RetriableException)) {
                    poisoned.add(rows.get(i));
                }
            } catch (TimeoutException e) {
                failure = failure == null ? e : failure;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure == null ? e : failure;
                break;
            }
        }
        if (failure != null) {
            discardProducer();
        }
        delete(connection, published);
        postpone(connection, poisoned);
        return new Result(published.size(), rows.size() - published.size(), failure);
    }

    private List<Row> selectDue(Connection connection) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(SELECT_DUE)) {
            statement.setObject(1, LocalDateTime.now(clock));
            statement.setInt(2, batchSize);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getBytes(1), rs.getString(2), rs.getString(3), rs.getInt(4)));
                }
            }
        }
        return rows;
    }

    /** Point deletes by primary key (a bulk batch): an IN list may be run as a scan that waits on other relays' rows. */
    private void delete(Connection connection, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(DELETE)) {
            for (Row row : rows) {
                statement.setBytes(1, row.id());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** A row the broker refused for good (too large, ...): retried rarely so it cannot block the rest. */
    private void postpone(Connection connection, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(POSTPONE)) {
            for (Row row : rows) {
                statement.setObject(1, LocalDateTime.now(clock).plus(rowBackoff.delay(row.attempts() + 1)));
                statement.setBytes(2, row.id());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private Producer<String, String> producer() {
        if (producer == null) {
            producer = producerFactory.get();
        }
        return producer;
    }

    /** After a failure the producer may be stuck (expired batches, fenced sequence): start afresh. */
    private void discardProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException ignored) {
                // closing a broken producer may fail; it is dropped either way
            }
            producer = null;
        }
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    private record Row(byte[] id, String key, String event, int attempts) {}
}
