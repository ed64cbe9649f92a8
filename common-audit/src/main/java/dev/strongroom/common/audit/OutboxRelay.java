package dev.strongroom.common.audit;

import dev.strongroom.common.kafka.KafkaClientSettings;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs {@link OutboxPublisher} on a dedicated thread from start-up to shutdown: publishes as fast
 * as rows come, polls every {@code strongroom.audit.relay.poll-interval} when drained, and backs off
 * exponentially (with jitter, up to {@code backoff-max}) while Kafka or the database is unreachable.
 * Every replica runs one; SKIP LOCKED shares the rows between them.
 *
 * <p>Metrics: {@code strongroom_audit_outbox_pending} (rows not yet published),
 * {@code strongroom_audit_outbox_oldest_age_seconds}, {@code strongroom_audit_outbox_published_total},
 * {@code strongroom_audit_outbox_failures_total} (failed publish attempts).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final AuditConfig config;
    private final AgroalDataSource dataSource;
    private final Config rawConfig;
    private final String applicationName;
    private final Pool reactivePool;
    private final Vertx vertx;
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private Counter published;
    private Counter failures;
    private long gaugeTimer = -1;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestMillis = new AtomicLong();
    private volatile boolean running;
    private Thread worker;

    @Inject
    OutboxRelay(AuditConfig config, AgroalDataSource dataSource, Pool reactivePool, Vertx vertx, Config rawConfig,
            MeterRegistry registry, @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.config = config;
        this.dataSource = dataSource;
        this.reactivePool = reactivePool;
        this.vertx = vertx;
        this.rawConfig = rawConfig;
        this.registry = registry;
        this.applicationName = applicationName;
    }

    void start(@Observes StartupEvent event) {
        registerMeters();
        if (!config.relay().enabled()) {
            LOG.info("Audit outbox relay disabled (strongroom.audit.relay.enabled=false)");
            return;
        }
        SecretKey signingKey = signingKey();
        running = true;
        worker = Thread.ofPlatform().name("audit-outbox-relay").daemon().start(() -> run(signingKey));
        // On the reactive pool, so the gauges stay current while a publish waits on an unreachable broker.
        gaugeTimer = vertx.setPeriodic(0, config.relay().gaugeRefresh().toMillis(), id -> refreshGauges());
    }

    private void registerMeters() {
        published = Counter.builder("strongroom.audit.outbox.published")
                .description("Audit events the outbox relay published to Kafka (broker acknowledged)")
                .register(registry);
        failures = Counter.builder("strongroom.audit.outbox.failures")
                .description("Failed outbox relay attempts (Kafka or database unreachable, record refused)")
                .register(registry);
        meters.add(published);
        meters.add(failures);
        meters.add(Gauge.builder("strongroom.audit.outbox.pending", pending, AtomicLong::get)
                .description("Audit events recorded but not yet published to Kafka")
                .strongReference(true)
                .register(registry));
        meters.add(Gauge.builder("strongroom.audit.outbox.oldest.age.seconds", oldestMillis, OutboxRelay::ageSeconds)
                .description("Age of the oldest unpublished audit event (0 when none)")
                .strongReference(true)
                .register(registry));
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (gaugeTimer >= 0) {
            vertx.cancelTimer(gaugeTimer);
        }
        // A restarted application (tests, dev mode) registers its own meters afresh.
        meters.forEach(registry::remove);
        if (worker != null) {
            // Wakes a pause without interrupting a batch in flight, which then finishes and commits.
            LockSupport.unpark(worker);
            try {
                worker.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Rows waiting, as of the last gauge refresh. */
    public long pending() {
        return pending.get();
    }

    /** The key events are signed with; null (unsigned) only outside production, where start-up fails without it. */
    private SecretKey signingKey() {
        Optional<String> key = config.signing().key().filter(value -> !value.isBlank());
        if (key.isPresent()) {
            return EventMac.key(key.get(), "strongroom.audit.signing.key");
        }
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            throw new IllegalStateException("strongroom.audit.signing.key is not set: audit-service refuses unsigned audit events"
                    + " (docs/audit.md, \"Signed events\")");
        }
        LOG.warn("strongroom.audit.signing.key is not set: audit events are published unsigned, and audit-service refuses them");
        return null;
    }

    private void run(SecretKey signingKey) {
        AuditConfig.Relay relay = config.relay();
        Backoff backoff = new Backoff(relay.backoffInitial(), relay.backoffMax());
        int failedInRow = 0;
        try (OutboxPublisher publisher = new OutboxPublisher(dataSource,
                OutboxPublisher.producerFactory(OutboxPublisher.producerProperties(kafkaSettings(),
                        applicationName + "-audit-relay", relay.sendTimeout())),
                config.topic(), relay.batchSize(), relay.sendTimeout(), backoff, Clock.systemUTC(),
                signingKey == null ? null : new EventMac(signingKey))) {
            while (running) {
                Duration pause;
                try {
                    OutboxPublisher.Result result = publisher.publishDue();
                    published.increment(result.published());
                    if (result.failure() == null) {
                        failedInRow = 0;
                        pause = result.published() >= relay.batchSize() ? Duration.ZERO : relay.pollInterval();
                    } else {
                        failures.increment();
                        pause = backoff.delay(++failedInRow);
                        LOG.warnf("Audit outbox relay: %d published, %d not (%s); retrying in %d ms", result.published(),
                                result.failed(), describe(result.failure()), pause.toMillis());
                    }
                } catch (Exception e) {
                    failures.increment();
                    pause = backoff.delay(++failedInRow);
                    LOG.warnf("Audit outbox relay cannot reach its database (%s); retrying in %d ms", describe(e), pause.toMillis());
                }
                sleep(pause);
            }
        }
    }

    private void refreshGauges() {
        reactivePool.query(OutboxPublisher.COUNT_PENDING).execute()
                .subscribe().with(rows -> {
                    Row row = rows.iterator().next();
                    LocalDateTime oldest = row.getLocalDateTime(1);
                    pending.set(row.getLong(0));
                    oldestMillis.set(oldest == null ? 0 : oldest.toInstant(ZoneOffset.UTC).toEpochMilli());
                }, failure -> LOG.debugf("Audit outbox gauges not refreshed: %s", failure.getMessage()));
    }

    private static double ageSeconds(AtomicLong oldest) {
        long millis = oldest.get();
        return millis == 0 ? 0 : Math.max(0, (Instant.now().toEpochMilli() - millis) / 1000.0);
    }

    /** The deployment's kafka.* settings (bootstrap servers, TLS, SASL) without the prefix. */
    private Map<String, String> kafkaSettings() {
        Map<String, String> settings = new HashMap<>();
        KafkaClientSettings.of(rawConfig).forEach((key, value) -> settings.put((String) key, (String) value));
        return settings;
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private void sleep(Duration pause) {
        long deadline = System.nanoTime() + pause.toNanos();
        while (running && deadline - System.nanoTime() > 0) {
            LockSupport.parkNanos(this, deadline - System.nanoTime());
        }
    }
}
