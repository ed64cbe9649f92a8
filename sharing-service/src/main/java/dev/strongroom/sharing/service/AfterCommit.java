package dev.strongroom.sharing.service;

import dev.strongroom.common.persistence.Deadlocks;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What a transaction counts (metrics), done only once it committed: a deadlock's victim is rolled back and run
 * again ({@link Deadlocks#retried}), and a rolled-back attempt must count nothing. One per subscription, used by
 * that pipeline's serial steps, so it needs no locking. A request cancelled (client gone) between the commit and
 * the counting counts nothing: the metrics can then be one short of the audit events.
 */
final class AfterCommit {

    private final List<Runnable> actions = new ArrayList<>();

    /** {@code work} in one transaction, run again when a deadlock's victim; what it counted is done once it committed. */
    static <T> Uni<T> transaction(Function<AfterCommit, Uni<T>> work) {
        return Uni.createFrom().deferred(() -> { // one per subscription
            AfterCommit after = new AfterCommit();
            return Deadlocks.<T>retried(() -> {
                after.actions.clear(); // a new attempt: the rolled-back one's counts are void
                return Panache.withTransaction(() -> work.apply(after));
            }).invoke(after::run);
        });
    }

    /** Counts with {@code action} once the transaction committed. */
    void count(Runnable action) {
        actions.add(action);
    }

    /** Runs what was counted (the transaction committed). */
    void run() {
        actions.forEach(Runnable::run);
    }
}
