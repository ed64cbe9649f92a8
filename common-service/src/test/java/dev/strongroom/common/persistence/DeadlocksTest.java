package dev.strongroom.common.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strongroom.testing.TestDatabase;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.mysqlclient.MySQLPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real InnoDB deadlocks and lock waits through the reactive client: which ones {@link Deadlocks} runs again. */
class DeadlocksTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static TestDatabase database;
    private static Vertx vertx;
    private static Pool pool;

    @BeforeAll
    static void startPool() throws Exception {
        database = TestDatabase.create("deadlocks");
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE probe (id INT PRIMARY KEY, v INT NOT NULL) ENGINE = InnoDB");
            s.execute("INSERT INTO probe VALUES (1, 0), (2, 0)");
        }
        vertx = Vertx.vertx();
        pool = MySQLPool.pool(vertx, new MySQLConnectOptions().setHost(database.host()).setPort(database.port())
                .setDatabase(database.name()).setUser("root").setPassword(""), new PoolOptions().setMaxSize(4));
    }

    @AfterAll
    static void stop() {
        if (pool != null) {
            pool.closeAndAwait();
            vertx.closeAndAwait();
        }
        if (database != null) {
            database.drop();
        }
    }

    @Test
    void aRealDeadlockIsRecognisedAndALockWaitTimeOutIsNot() {
        Throwable deadlock = provokeDeadlock();
        assertThat(Deadlocks.isDeadlock(deadlock)).as(deadlock.toString()).isTrue();

        SqlConnection holder = pool.getConnectionAndAwait();
        SqlConnection waiter = pool.getConnectionAndAwait();
        try {
            holder.query("BEGIN").executeAndAwait();
            holder.query("UPDATE probe SET v = v + 1 WHERE id = 1").executeAndAwait();
            waiter.query("SET SESSION innodb_lock_wait_timeout = 1").executeAndAwait();
            waiter.query("BEGIN").executeAndAwait();
            Throwable timeout = failureOf(waiter.query("UPDATE probe SET v = v + 1 WHERE id = 1").execute());
            assertThat(timeout).isNotNull();
            assertThat(Deadlocks.isDeadlock(timeout)).as(timeout.toString()).isFalse();
        } finally {
            holder.query("ROLLBACK").executeAndAwait();
            waiter.query("ROLLBACK").executeAndAwait();
            holder.closeAndAwait();
            waiter.closeAndAwait();
        }
        assertThat(Deadlocks.isDeadlock(new IllegalStateException("no database"))).isFalse();
    }

    @Test
    void aDeadlocksVictimRunsAgainAndOtherFailuresDoNot() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry(); // as Quarkus' registry: joined to the global one
        Metrics.addRegistry(registry);
        try {
            retriesDeadlocksOnly(registry);
        } finally {
            Metrics.removeRegistry(registry);
        }
    }

    private static void retriesDeadlocksOnly(SimpleMeterRegistry registry) {
        Throwable deadlock = provokeDeadlock();
        AtomicInteger runs = new AtomicInteger();
        String answer = Deadlocks.retried(() -> runs.incrementAndGet() == 1
                ? Uni.createFrom().<String>failure(deadlock) : Uni.createFrom().item("committed")).await().atMost(WAIT);
        assertThat(answer).isEqualTo("committed");
        assertThat(runs).hasValue(2);

        AtomicInteger always = new AtomicInteger();
        assertThatThrownBy(() -> Deadlocks.retried(() -> {
            always.incrementAndGet();
            return Uni.createFrom().<String>failure(deadlock);
        }).await().atMost(WAIT)).isSameAs(deadlock);
        assertThat(always).hasValue(1 + Deadlocks.RETRIES);

        AtomicInteger other = new AtomicInteger();
        IllegalStateException refused = new IllegalStateException("refused");
        assertThatThrownBy(() -> Deadlocks.retried(() -> {
            other.incrementAndGet();
            return Uni.createFrom().<String>failure(refused);
        }).await().atMost(WAIT)).isSameAs(refused);
        assertThat(other).hasValue(1);

        // strongroom_db_deadlocks_total: one victim, then four (the last one not run again); the other failure is not one
        assertThat(registry.get("strongroom.db.deadlocks").counter().count()).isEqualTo(1 + 1 + Deadlocks.RETRIES);
    }

    /** Two transactions locking rows 1 and 2 in opposite orders: InnoDB rolls one back; its failure. */
    private static Throwable provokeDeadlock() {
        SqlConnection first = pool.getConnectionAndAwait();
        SqlConnection second = pool.getConnectionAndAwait();
        try {
            first.query("BEGIN").executeAndAwait();
            second.query("BEGIN").executeAndAwait();
            first.query("UPDATE probe SET v = v + 1 WHERE id = 1").executeAndAwait();
            second.query("UPDATE probe SET v = v + 1 WHERE id = 2").executeAndAwait();
            CompletableFuture<Throwable> firstWaits = outcome(first.query("UPDATE probe SET v = v + 1 WHERE id = 2").execute())
                    .subscribeAsCompletionStage();
            Throwable secondFailed = failureOf(second.query("UPDATE probe SET v = v + 1 WHERE id = 1").execute());
            Throwable firstFailed = firstWaits.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(firstFailed == null ^ secondFailed == null).as("exactly one victim: %s / %s", firstFailed, secondFailed).isTrue();
            return firstFailed != null ? firstFailed : secondFailed;
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            first.query("ROLLBACK").executeAndAwait();
            second.query("ROLLBACK").executeAndAwait();
            first.closeAndAwait();
            second.closeAndAwait();
        }
    }

    /** The statement's failure, or null when it succeeded. */
    private static Uni<Throwable> outcome(Uni<?> statement) {
        return statement.replaceWith((Throwable) null).onFailure().recoverWithItem(f -> f);
    }

    private static Throwable failureOf(Uni<?> statement) {
        return outcome(statement).await().atMost(WAIT);
    }
}
