package dev.strongroom.audit.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.audit.client.HecClient;
import dev.strongroom.audit.config.HecConfig;
import dev.strongroom.common.audit.AuditActor;
import dev.strongroom.common.audit.AuditConfig;
import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.audit.AuditJson;
import dev.strongroom.common.audit.AuditTarget;
import dev.strongroom.common.audit.Backoff;
import dev.strongroom.common.audit.OutboxStatements;
import dev.strongroom.common.id.UuidV7;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * Forwards the audit log to Splunk HEC, chain by chain, from the position persisted in
 * {@code hec_position}: a batch's position moves only after HEC accepted it (and, with indexer
 * acknowledgement, acknowledged it), in the same transaction that holds the position row
 * ({@code FOR UPDATE SKIP LOCKED}, so replicas never forward one chain twice at once). A Splunk
 * outage or a restart only delays delivery. Delivery at Splunk is at least once (a crash after
 * HEC accepted a batch resends it); every event carries its CloudEvent {@code id} to deduplicate.
 *
 * <p>Failures: network errors, 5xx and HEC codes 8, 9, 18-20 are retried with exponential backoff
 * and jitter; refusals of the configuration (token codes 1-4, index 7, channel 10/11, ack 14, 401,
 * 403, 404) block forwarding, with backoff, an alert and the {@code blocked} state, losing
 * nothing; refusals of an event's content (codes 5, 6, 12, 13, 15, HTTP 413) are isolated to the
 * single event, which goes to {@code hec_dead_letter} with a metric and an alert while the rest flows on.
 */
@ApplicationScoped
public class HecForwarder {

    private static final Logger LOG = Logger.getLogger(HecForwarder.class);

    static final Set<Integer> RETRYABLE_CODES = Set.of(8, 9, 18, 19, 20);
    static final Set<Integer> EVENT_CODES = Set.of(5, 6, 12, 13, 15);

    enum Verdict { DELIVERED, RETRY, BLOCKED, REJECTED }

    /** What the status endpoint shows. */
    public record Status(boolean enabled, String url, boolean ackEnabled, String state, Instant lastSuccessAt,
            Instant lastAttemptAt, String lastError, long forwarded, long failures, long deadLettered) {}

    private final HecConfig config;
    private final AuditConfig auditConfig;
    private final AgroalDataSource dataSource;
    private final Vertx vertx;
    private final MeterRegistry registry;
    private final AlertNotifier notifier;
    private final List<Meter> meters = new ArrayList<>();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private volatile String state = "idle";
    private volatile Instant lastSuccessAt;
    private volatile Instant lastAttemptAt;
    private volatile String lastError;
    private volatile boolean running;
    private Thread worker;
    private Counter forwardedCounter;
    private Counter deadLetterCounter;

    @Inject
    HecForwarder(HecConfig config, AuditConfig auditConfig, AgroalDataSource dataSource, Vertx vertx, MeterRegistry registry,
            AlertNotifier notifier) {
        this.config = config;
        this.auditConfig = auditConfig;
        this.dataSource = dataSource;
        this.vertx = vertx;
        this.registry = registry;
        this.notifier = notifier;
    }

    void onStart(@Observes StartupEvent event) {
        forwardedCounter = Counter.builder("strongroom.audit.hec.forwarded").description("Audit events accepted by Splunk HEC").register(registry);
        deadLetterCounter = Counter.builder("strongroom.audit.hec.dead.letters")
                .description("Audit events HEC refused for their content, parked in hec_dead_letter").register(registry);
        meters.add(forwardedCounter);
        meters.add(deadLetterCounter);
        // both reasons from the start, so rates and alerts see 0 rather than no series before a first failure
        for (String reason : new String[] {"refused", "unavailable"}) {
            meters.add(Counter.builder("strongroom.audit.hec.failures").description("Failed HEC deliveries, by reason")
                    .tag("reason", reason).register(registry));
        }
        meters.add(Gauge.builder("strongroom.audit.hec.pending", pending, AtomicLong::get)
                .description("Stored audit events not yet accepted by Splunk HEC").strongReference(true).register(registry));
        meters.add(Gauge.builder("strongroom.audit.hec.blocked", this, f -> "blocked".equals(f.state) ? 1 : 0)
                .description("1 while HEC refuses the configuration (token, index, channel)").strongReference(true).register(registry));
        if (enabled()) {
            start();
        } else {
            LOG.info("Splunk HEC forwarding off (strongroom.audit.hec.url is not set)");
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
        meters.forEach(registry::remove);
    }

    public boolean enabled() {
        return config.url().filter(url -> !url.isBlank()).isPresent();
    }

    /** Starts forwarding (again) from the persisted positions. */
    public synchronized void start() {
        if (running || !enabled()) {
            return;
        }
        running = true;
        worker = Thread.ofPlatform().name("audit-hec-forwarder").daemon().start(this::run);
    }

    /** Stops after the request in flight; unacknowledged work is resent by the next start. */
    public synchronized void stop() {
        running = false;
        if (worker != null) {
            LockSupport.unpark(worker);
            try {
                worker.join(config.requestTimeout().plus(config.ack().timeout()).plusSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worker = null;
        }
    }

    public Status status() {
        String url = config.url().map(HecForwarder::withoutSecrets).orElse(null);
        return new Status(enabled(), url, config.ack().enabled(), enabled() ? state : "disabled", lastSuccessAt, lastAttemptAt, lastError,
                forwarded.get(), failures.get(), deadLettered.get());
    }

    private void run() {
        CimMapping cim = new CimMapping(config.source(), config.sourcetype(), config.index(), config.host());
        Backoff backoff = new Backoff(config.backoffInitial(), config.backoffMax());
        String channel = config.ack().enabled() ? UUID.randomUUID().toString() : null;
        int failedInRow = 0;
        try (HecClient client = new HecClient(vertx, config)) {
            while (running) {
                Duration pause;
                try {
                    boolean full = cycle(client, cim, channel);
                    failedInRow = 0;
                    pause = full ? Duration.ZERO : config.linger();
                } catch (Stalled e) {
                    failures.incrementAndGet();
                    Counter.builder("strongroom.audit.hec.failures").description("Failed HEC deliveries, by reason")
                            .tag("reason", e.verdict == Verdict.BLOCKED ? "refused" : "unavailable").register(registry).increment();
                    lastError = e.getMessage();
                    if (e.verdict == Verdict.BLOCKED && !"blocked".equals(state)) {
                        LOG.errorf("Splunk HEC refuses our configuration: %s; forwarding is blocked, nothing is lost", e.getMessage());
                        raiseAlert("hec_refused", "Splunk HEC refuses the forwarder's configuration: " + e.getMessage(), "hec", null);
                    }
                    state = e.verdict == Verdict.BLOCKED ? "blocked" : "retrying";
                    pause = e.verdict == Verdict.BLOCKED ? backoff.delay(Math.max(++failedInRow, 4)) : backoff.delay(++failedInRow);
                    LOG.warnf("Splunk HEC forwarding paused %d ms: %s", pause.toMillis(), e.getMessage());
                } catch (Exception e) {
                    failures.incrementAndGet();
                    lastError = "database: " + e.getClass().getSimpleName();
                    state = "retrying";
                    pause = backoff.delay(++failedInRow);
                    LOG.warnf("Splunk HEC forwarding cannot read the audit log (%s); retrying in %d ms", e.getMessage(), pause.toMillis());
                }
                sleep(pause);
            }
        }
    }

    /** Forwards one batch of every chain that has something pending; true when some batch was full. */
    private boolean cycle(HecClient client, CimMapping cim, String channel) throws SQLException, Stalled {
        Map<Integer, Long> heads = chainHeads();
        boolean full = false;
        long waiting = 0;
        for (Map.Entry<Integer, Long> chain : heads.entrySet()) {
            if (!running) {
                break;
            }
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                try {
                    Long position = lockPosition(connection, chain.getKey());
                    if (position == null || position >= chain.getValue()) {
                        connection.commit();
                        waiting += position == null ? 0 : Math.max(0, chain.getValue() - position);
                        continue;
                    }
                    List<Pending> batch = read(connection, chain.getKey(), position);
                    Progress progress = deliver(client, cim, channel, batch);
                    if (progress.lastSequence() > position) {
                        savePosition(connection, chain.getKey(), progress.lastSequence());
                    }
                    deadLetter(connection, progress.deadLetters());
                    connection.commit();
                    afterCommit(progress);
                    waiting += chain.getValue() - progress.lastSequence();
                    full |= batch.size() >= config.batchSize() && progress.failure() == null;
                    if (progress.failure() != null) {
                        throw progress.failure();
                    }
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                }
            }
        }
        pending.set(waiting);
        if (state.equals("blocked") || state.equals("retrying")) {
            state = "forwarding";
        }
        return full;
    }

    private Progress deliver(HecClient client, CimMapping cim, String channel, List<Pending> batch) {
        long before = batch.getFirst().sequence() - 1;
        Verdict verdict;
        HecClient.Response response;
        try {
            response = sendAcknowledged(client, channel, body(cim, batch));
            verdict = verdict(response);
        } catch (IOException e) {
            return new Progress(before, 0, List.of(), new Stalled(Verdict.RETRY, e.getMessage()));
        }
        if (verdict == Verdict.DELIVERED) {
            return new Progress(batch.getLast().sequence(), batch.size(), List.of(), null);
        }
        if (verdict != Verdict.REJECTED) {
            return new Progress(before, 0, List.of(), new Stalled(verdict, describe(response)));
        }
        // HEC refused something in the batch: send one by one so only the bad events are parked.
        long last = before;
        int delivered = 0;
        List<DeadLetter> dead = new ArrayList<>();
        for (Pending event : batch) {
            try {
                HecClient.Response single = batch.size() == 1 ? response : sendAcknowledged(client, channel, body(cim, List.of(event)));
                Verdict one = verdict(single);
                if (one == Verdict.DELIVERED) {
                    delivered++;
                } else if (one == Verdict.REJECTED) {
                    dead.add(new DeadLetter(event, single.status(), single.code(), describe(single)));
                } else {
                    return new Progress(last, delivered, dead, new Stalled(one, describe(single)));
                }
            } catch (IOException e) {
                return new Progress(last, delivered, dead, new Stalled(Verdict.RETRY, e.getMessage()));
            }
            last = event.sequence();
        }
        return new Progress(last, delivered, dead, null);
    }

    private HecClient.Response sendAcknowledged(HecClient client, String channel, String body) throws IOException {
        lastAttemptAt = Instant.now();
        HecClient.Response response = client.send(body, channel);
        if (channel == null || !response.success()) {
            return response;
        }
        if (response.ackId() == null) {
            throw new IOException("HEC answered without an ackId although indexer acknowledgement is on (is it enabled on the token?)");
        }
        long deadline = System.nanoTime() + config.ack().timeout().toNanos();
        while (running && System.nanoTime() - deadline < 0) {
            sleep(config.ack().pollInterval());
            if (Boolean.TRUE.equals(client.acks(channel, List.of(response.ackId())).get(response.ackId()))) {
                return response;
            }
        }
        throw new IOException("HEC did not acknowledge ackId " + response.ackId() + " within " + config.ack().timeout().toSeconds() + " s; resending");
    }

    static Verdict verdict(HecClient.Response response) {
        if (response.success()) {
            return Verdict.DELIVERED;
        }
        Integer code = response.code();
        int status = response.status();
        if (status >= 500 || status == 429 || status == 408 || (code != null && RETRYABLE_CODES.contains(code))) {
            return Verdict.RETRY;
        }
        if (status == 413 || (status == 400 && code != null && EVENT_CODES.contains(code))) {
            return Verdict.REJECTED;
        }
        return Verdict.BLOCKED;
    }

    private static String describe(HecClient.Response response) {
        String text = response.text() == null ? "" : response.text();
        return "HTTP " + response.status() + (response.code() != null ? " code " + response.code() : "")
                + (text.isEmpty() ? "" : " (" + (text.length() > 120 ? text.substring(0, 120) : text) + ")");
    }

    private static String body(CimMapping cim, List<Pending> events) {
        StringBuilder body = new StringBuilder(events.size() * 1024);
        for (Pending event : events) {
            body.append(AuditJson.write(cim.envelope(event.event(), event.partition(), event.sequence(), event.hash()))).append('\n');
        }
        return body.toString();
    }

    private Map<Integer, Long> chainHeads() throws SQLException {
        Map<Integer, Long> heads = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT chain_partition, MAX(sequence) FROM audit_record GROUP BY chain_partition ORDER BY chain_partition");
                ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                heads.put(rs.getInt(1), rs.getLong(2));
            }
        }
        return heads;
    }

    /** The chain's forwarding position, locked for this transaction; null when another replica holds it. */
    private static Long lockPosition(Connection connection, int partition) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT IGNORE INTO hec_position (chain_partition, sequence, updated_at) VALUES (?, 0, ?)")) {
            insert.setInt(1, partition);
            insert.setObject(2, LocalDateTime.now(ZoneOffset.UTC));
            insert.executeUpdate();
        }
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT sequence FROM hec_position WHERE chain_partition = ? FOR UPDATE SKIP LOCKED")) {
            query.setInt(1, partition);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private List<Pending> read(Connection connection, int partition, long position) throws SQLException {
        List<Pending> batch = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT sequence, event_id, event, hash FROM audit_record"
                + " WHERE chain_partition = ? AND sequence > ? ORDER BY sequence LIMIT ?")) {
            query.setInt(1, partition);
            query.setLong(2, position);
            query.setInt(3, config.batchSize());
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    JsonNode event;
                    try {
                        event = AuditJson.mapper().readTree(rs.getString(3));
                    } catch (IOException e) {
                        throw new SQLException("stored event " + partition + "/" + rs.getLong(1) + " is not JSON");
                    }
                    batch.add(new Pending(partition, rs.getLong(1), UuidV7.fromBytes(rs.getBytes(2)), event, HashChain.hex(rs.getBytes(4))));
                }
            }
        }
        return batch;
    }

    private static void savePosition(Connection connection, int partition, long sequence) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE hec_position SET sequence = ?, updated_at = ? WHERE chain_partition = ?")) {
            update.setLong(1, sequence);
            update.setObject(2, LocalDateTime.now(ZoneOffset.UTC));
            update.setInt(3, partition);
            update.executeUpdate();
        }
    }

    private List<AlertRules.Raised> deadLetterAlerts = List.of();

    private void deadLetter(Connection connection, List<DeadLetter> dead) throws SQLException {
        deadLetterAlerts = new ArrayList<>();
        if (dead.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT IGNORE INTO hec_dead_letter (chain_partition, sequence, event_id,"
                + " http_status, hec_code, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (DeadLetter letter : dead) {
                insert.setInt(1, letter.event().partition());
                insert.setLong(2, letter.event().sequence());
                insert.setBytes(3, UuidV7.toBytes(letter.event().eventId()));
                insert.setInt(4, letter.status());
                insert.setObject(5, letter.code());
                insert.setString(6, letter.reason().length() <= 500 ? letter.reason() : letter.reason().substring(0, 500));
                insert.setObject(7, LocalDateTime.now(ZoneOffset.UTC));
                insert.addBatch();
                deadLetterAlerts.add(alert("hec_dead_letter", "Splunk HEC refused audit event " + letter.event().eventId() + ": " + letter.reason(),
                        letter.event().partition() + "/" + letter.event().sequence(), letter.event().eventId().toString()));
            }
            insert.executeBatch();
        }
        OutboxStatements.insert(connection, deadLetterAlerts.stream().map(AlertRules.Raised::event).toList());
    }

    private void afterCommit(Progress progress) {
        if (progress.delivered() > 0) {
            forwarded.addAndGet(progress.delivered());
            forwardedCounter.increment(progress.delivered());
            lastSuccessAt = Instant.now();
            if (progress.failure() == null) {
                lastError = null;
            }
        }
        if (!progress.deadLetters().isEmpty()) {
            deadLettered.addAndGet(progress.deadLetters().size());
            deadLetterCounter.increment(progress.deadLetters().size());
            LOG.errorf("Splunk HEC refused %d audit event(s); parked in hec_dead_letter", progress.deadLetters().size());
            notifier.raised(deadLetterAlerts);
        }
    }

    /** Raises an alert in its own transaction (used when the forwarder itself is in trouble). */
    private void raiseAlert(String rule, String summary, String subject, String eventId) {
        AlertRules.Raised raised = alert(rule, summary, subject, eventId);
        try (Connection connection = dataSource.getConnection()) {
            OutboxStatements.insert(connection, List.of(raised.event()));
            notifier.raised(List.of(raised));
        } catch (SQLException e) {
            LOG.warnf("Alert %s not recorded: %s", rule, e.getMessage());
        }
    }

    private AlertRules.Raised alert(String rule, String summary, String subject, String eventId) {
        AuditEvent.Builder event = AuditEvent.of("alert.raised")
                .actor(AuditActor.service(auditConfig.source(), "audit-service"))
                .resource(AuditTarget.of("alert", UuidV7.next().toString(), rule))
                .reason(summary.length() > 1000 ? summary.substring(0, 1000) : summary)
                .detail("rule", rule)
                .detail("subject", subject);
        if (eventId != null) {
            event.detail("triggerEventId", eventId);
        }
        return new AlertRules.Raised(rule, subject, 1, event.build(auditConfig.source()));
    }

    private void sleep(Duration pause) {
        long deadline = System.nanoTime() + pause.toNanos();
        while (running && deadline - System.nanoTime() > 0) {
            LockSupport.parkNanos(this, deadline - System.nanoTime());
        }
    }

    /** The URL without user info, path or query (never a token). */
    static String withoutSecrets(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
        } catch (RuntimeException e) {
            return "(unparseable)";
        }
    }

    record Pending(int partition, long sequence, UUID eventId, JsonNode event, String hash) {}

    record DeadLetter(Pending event, int status, Integer code, String reason) {}

    record Progress(long lastSequence, int delivered, List<DeadLetter> deadLetters, Stalled failure) {}

    /** HEC cannot take events now (RETRY) or refuses the configuration (BLOCKED). */
    static final class Stalled extends Exception {
        final Verdict verdict;

        Stalled(Verdict verdict, String message) {
            super(message, null, false, false);
            this.verdict = verdict;
        }
    }
}
