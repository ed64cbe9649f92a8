package dev.strongroom.auth.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strongroom.auth.config.AuthConfig;
import dev.strongroom.common.kafka.KafkaClientSettings;
import dev.strongroom.security.revocation.RevocationConfig;
import dev.strongroom.security.revocation.SessionRevocation;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Publishes revocations to the compacted topic every service follows. The revocation itself is a row
 * (a revoked session, or a {@code revocations} row) written in the transaction that revoked it, so a
 * revocation is never lost when Kafka is down: this relay publishes unpublished rows, marks them, and
 * retries until the broker acknowledges. {@link #kick()} wakes it right after a commit.
 */
@ApplicationScoped
public class RevocationRelay {

    private static final Logger LOG = Logger.getLogger(RevocationRelay.class);
    static final String SESSIONS_DUE = "SELECT id, revoked_at, revoke_reason FROM sessions"
            + " WHERE revocation_published = FALSE AND revoked_at IS NOT NULL ORDER BY revoked_at LIMIT 200 FOR UPDATE SKIP LOCKED";
    static final String OTHERS_DUE = "SELECT sid, revoked_at, reason FROM revocations"
            + " WHERE published = FALSE ORDER BY revoked_at LIMIT 200 FOR UPDATE SKIP LOCKED";

    @Inject
    AgroalDataSource dataSource;
    @Inject
    AuthConfig config;
    @Inject
    RevocationConfig revocationConfig;
    @Inject
    ObjectMapper json;
    @Inject
    Config rawConfig;

    private volatile boolean running;
    private Thread worker;

    void start(@Observes StartupEvent event) {
        running = true;
        worker = Thread.ofPlatform().name("session-revocation-relay").daemon().start(this::run);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (worker != null) {
            LockSupport.unpark(worker);
            try {
                worker.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Publish now (call after a revoking transaction committed). */
    public void kick() {
        Thread current = worker;
        if (current != null) {
            LockSupport.unpark(current);
        }
    }

    /** How long services must refuse a revoked sid: until every access token of it has expired. */
    public long refuseUntil(long revokedAtMillis) {
        return revokedAtMillis + config.accessTokenTtl().toMillis() + Duration.ofMinutes(1).toMillis();
    }

    private void run() {
        Properties kafka = kafkaSettings();
        boolean topicReady = false;
        int failures = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties(kafka))) {
            while (running) {
                Duration pause = Duration.ofSeconds(1);
                try {
                    if (!topicReady) {
                        topicReady = ensureTopic(kafka);
                    }
                    int published = publishDue(producer);
                    failures = 0;
                    if (published > 0) {
                        pause = Duration.ZERO;
                    }
                } catch (Exception e) {
                    failures++;
                    pause = Duration.ofMillis(Math.min(30_000, 500L << Math.min(failures, 6)));
                    if (failures == 1 || failures % 20 == 0) {
                        LOG.warnf("Session revocations not published yet (%s); retrying in %d ms", e.getClass().getSimpleName(),
                                pause.toMillis());
                    }
                }
                if (!pause.isZero()) {
                    LockSupport.parkNanos(this, pause.toNanos());
                }
            }
        }
    }

    private int publishDue(KafkaProducer<String, String> producer) throws SQLException, Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<SessionRevocation> sessions = select(connection, SESSIONS_DUE);
                List<SessionRevocation> others = select(connection, OTHERS_DUE);
                if (sessions.isEmpty() && others.isEmpty()) {
                    connection.rollback();
                    return 0;
                }
                List<Future<RecordMetadata>> sends = new ArrayList<>();
                for (SessionRevocation r : sessions) {
                    sends.add(producer.send(new ProducerRecord<>(revocationConfig.topic(), r.sid(), json.writeValueAsString(r))));
                }
                for (SessionRevocation r : others) {
                    sends.add(producer.send(new ProducerRecord<>(revocationConfig.topic(), r.sid(), json.writeValueAsString(r))));
                }
                for (Future<RecordMetadata> send : sends) {
                    send.get(15, TimeUnit.SECONDS);
                }
                mark(connection, "UPDATE sessions SET revocation_published = TRUE WHERE id = ?", sessions);
                mark(connection, "UPDATE revocations SET published = TRUE WHERE sid = ?", others);
                connection.commit();
                return sessions.size() + others.size();
            } catch (Exception e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private List<SessionRevocation> select(Connection connection, String sql) throws SQLException {
        List<SessionRevocation> due = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                Timestamp at = rs.getTimestamp(2);
                long revokedAt = at.toLocalDateTime().toInstant(ZoneOffset.UTC).toEpochMilli();
                due.add(new SessionRevocation(rs.getString(1), revokedAt, refuseUntil(revokedAt), rs.getString(3)));
            }
        }
        return due;
    }

    private static void mark(Connection connection, String sql, List<SessionRevocation> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            for (SessionRevocation r : rows) {
                s.setString(1, r.sid());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Creates the compacted topic when missing (compact + delete: a day of history is plenty). */
    private boolean ensureTopic(Properties kafka) throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(kafka)) {
            NewTopic topic = new NewTopic(revocationConfig.topic(), 3, (short) -1)
                    .configs(Map.of("cleanup.policy", "compact,delete", "retention.ms", "86400000"));
            try {
                admin.createTopics(List.of(topic)).all().get();
                LOG.infof("Created session revocation topic %s", revocationConfig.topic());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            return true;
        }
    }

    private Properties kafkaSettings() {
        Properties p = KafkaClientSettings.of(rawConfig);
        p.put("request.timeout.ms", "10000");
        p.put("default.api.timeout.ms", "15000");
        return p;
    }

    private static Properties producerProperties(Properties base) {
        Properties p = new Properties();
        p.putAll(base);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "auth-service-revocations");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }
}
