package dev.strongroom.common.persistence;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.smallrye.mutiny.Uni;
import io.vertx.mysqlclient.MySQLException;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.hibernate.exception.LockAcquisitionException;

/**
 * InnoDB deadlocks (error 1213, SQLSTATE 40001): the server rolls the victim's whole transaction back, so running the
 * transaction again is safe and is what the server asks for ("try restarting transaction"). Two transactions that lock
 * the same rows in different orders deadlock now and then under load; a client should not see that as an error.
 */
public final class Deadlocks {

    /** Runs of a transaction after the first, at most. */
    static final int RETRIES = 3;

    private static final int ER_LOCK_DEADLOCK = 1213;

    /**
     * {@code strongroom_db_deadlocks_total}: transactions {@link #retried} saw end as a deadlock's victim (run again up to
     * {@link #RETRIES} times; the last one is not). A steady rate points at two transactions that lock rows in different
     * orders. Looked up in the global registry (which holds Quarkus' registries) at each victim, so that it survives a
     * registry that dev mode or a test replaced; deadlocks are rare.
     */
    private static void countVictim() {
        Counter.builder("strongroom.db.deadlocks").description("Transactions that were an InnoDB deadlock's victim (run again up to "
                + RETRIES + " times)").register(Metrics.globalRegistry).increment();
    }

    private Deadlocks() {}

    /**
     * The transaction {@code transaction} supplies (e.g. {@code () -> Panache.withTransaction(...)}), run again when it
     * was a deadlock's victim, up to {@link #RETRIES} times, at once (a delay would leave the Vert.x context Hibernate
     * Reactive needs). Only for a transaction whose effects are all in the database: whatever it did outside (an HTTP
     * call, a metric counted while it ran) happens again too.
     */
    public static <T> Uni<T> retried(Supplier<Uni<? extends T>> transaction) {
        return Uni.createFrom().deferred(transaction)
                .onFailure(Deadlocks::isDeadlock).invoke(victim -> countVictim())
                .onFailure(Deadlocks::isDeadlock).retry().atMost(RETRIES);
    }

    /** Whether {@code failure} (or a cause) is InnoDB's deadlock error, as Hibernate, the reactive client or JDBC report it. */
    public static boolean isDeadlock(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) { // bounded: a cause chain may loop
            boolean deadlock = switch (t) {
                case LockAcquisitionException lock -> isDeadlock(lock.getSQLException()); // also lock wait time-outs: not those
                case MySQLException mysql -> mysql.getErrorCode() == ER_LOCK_DEADLOCK;
                case SQLException sql -> isDeadlock(sql);
                default -> false;
            };
            if (deadlock) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDeadlock(SQLException sql) {
        return sql != null && (sql.getErrorCode() == ER_LOCK_DEADLOCK || "40001".equals(sql.getSQLState()));
    }
}
