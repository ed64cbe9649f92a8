package dev.strongroom.common.audit;

import dev.strongroom.common.id.UuidV7;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Group commit of audit events that have no change of their own to join (a reveal reads, it writes nothing
 * but its event): concurrent callers hand their event over, and one multi-row {@code INSERT} (one statement,
 * so all rows or none, committed by itself) stores everything that arrived while the previous one was in
 * flight. Each caller's {@link Uni} completes only once the statement holding its event has committed, and
 * fails when that statement fails: whoever waits for it (the reveal) must not go on without a durable event.
 *
 * <p>At most one statement is in flight, so under load the batches grow by themselves and an idle service
 * writes each event at once. Completions return to the caller's Vert.x context. Reached through
 * {@link AuditOutbox#recordCommitted}. Metrics: {@code strongroom_audit_outbox_group_commits_total},
 * {@code strongroom_audit_outbox_group_commit_failures_total}, {@code strongroom_audit_outbox_group_commit_events}
 * (events per statement).
 */
@ApplicationScoped
public class OutboxGroupCommit {

    private static final Logger LOG = Logger.getLogger(OutboxGroupCommit.class);
    private static final String COLUMNS = "INSERT INTO audit_outbox (id, record_key, event, created_at, attempts, next_attempt_at) VALUES ";

    /** Why an event was not stored: the whole group failed, or too many events were waiting. */
    public static class NotStored extends RuntimeException {
        NotStored(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private record Waiting(AuditEvent event, String json, Context context, UniEmitter<? super AuditEvent> emitter) {
        @Override
        public String toString() {
            return "Waiting[" + event.id() + "]";
        }
    }

    private final Pool pool;
    private final int maxBatch;
    private final int maxWaiting;
    private final ConcurrentLinkedQueue<Waiting> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final Map<Integer, String> statements = new ConcurrentHashMap<>();
    private final Counter commits;
    private final Counter failures;
    private final DistributionSummary sizes;

    @Inject
    OutboxGroupCommit(Pool pool, AuditConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.maxBatch = config.groupCommit().maxBatch();
        this.maxWaiting = config.groupCommit().maxWaiting();
        this.commits = Counter.builder("strongroom.audit.outbox.group.commits")
                .description("Multi-row outbox inserts committed by the group commit").register(registry);
        this.failures = Counter.builder("strongroom.audit.outbox.group.commit.failures")
                .description("Multi-row outbox inserts that failed (every event in them was refused)").register(registry);
        this.sizes = DistributionSummary.builder("strongroom.audit.outbox.group.commit.events")
                .description("Events per group-commit statement").register(registry);
    }

    /** Stores the event with whatever else is waiting; completes once it is committed, fails if it is not. */
    public Uni<AuditEvent> store(AuditEvent event) {
        String json = AuditJson.write(event);
        return Uni.createFrom().emitter(emitter -> {
            if (waiting.incrementAndGet() > maxWaiting) {
                waiting.decrementAndGet();
                emitter.fail(new NotStored("more than " + maxWaiting + " audit events are waiting for the outbox", null));
                return;
            }
            queue.add(new Waiting(event, json, Vertx.currentContext(), emitter));
            flush();
        });
    }

    /** Sends the next group unless one is in flight; the one in flight sends the next when it ends. */
    private void flush() {
        while (!queue.isEmpty() && inFlight.compareAndSet(false, true)) {
            List<Waiting> group = new ArrayList<>(Math.min(maxBatch, waiting.get()));
            Waiting next;
            while (group.size() < maxBatch && (next = queue.poll()) != null) {
                group.add(next);
            }
            waiting.addAndGet(-group.size());
            if (group.isEmpty()) {
                inFlight.set(false);
                continue;
            }
            Uni.createFrom().deferred(() -> insert(group)).subscribe().with(
                    done -> finish(group, null),
                    failure -> finish(group, failure));
            return;
        }
    }

    private void finish(List<Waiting> group, Throwable failure) {
        if (failure == null) {
            commits.increment();
            sizes.record(group.size());
        } else {
            failures.increment();
            LOG.warnf("A group of %d audit events could not be stored; every request waiting for one is refused: %s",
                    group.size(), failure.toString());
        }
        inFlight.set(false);
        flush();
        NotStored notStored = failure == null ? null : new NotStored("the audit outbox insert failed", failure);
        for (Waiting w : group) {
            Runnable complete = failure == null ? () -> w.emitter().complete(w.event()) : () -> w.emitter().fail(notStored);
            if (w.context() != null) {
                w.context().runOnContext(ignored -> complete.run());
            } else {
                complete.run();
            }
        }
    }

    private Uni<?> insert(List<Waiting> group) {
        List<Object> values = new ArrayList<>(group.size() * 4);
        for (Waiting w : group) {
            LocalDateTime at = LocalDateTime.ofInstant(w.event().time(), ZoneOffset.UTC);
            String key = w.event().key();
            values.add(Buffer.buffer(UuidV7.toBytes(UUID.fromString(w.event().id()))));
            values.add(key.length() <= 255 ? key : key.substring(0, 255));
            values.add(w.json());
            values.add(at);
        }
        return pool.preparedQuery(statement(group.size()))
                .execute(Tuple.from(values));
    }

    /** {@code INSERT ... VALUES (?, ?, ?, ?, 0, ?4), ...} for {@code rows} rows (created_at doubles as next_attempt_at). */
    private String statement(int rows) {
        return statements.computeIfAbsent(rows, n -> {
            StringBuilder sql = new StringBuilder(COLUMNS.length() + n * 24).append(COLUMNS);
            for (int i = 0; i < n; i++) {
                sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, 0, created_at)");
            }
            return sql.toString();
        });
    }
}
