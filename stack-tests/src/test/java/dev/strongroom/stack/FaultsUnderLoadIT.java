package dev.strongroom.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.testing.HecReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Faults under load (docs/operations.md, "Faults and what clients see"): with {@link SteadyLoad}'s writes, reads and
 * shares running, kill -9 in turn secrets-service, the Kafka broker, audit-service and MariaDB, and take the Splunk HEC
 * receiver away. A killed process is started again the way the platform would (a service or the broker by
 * {@code ./strongroom up}, which starts what is not running; MariaDB on its data folder); nothing else is restarted:
 * the other services must recover by themselves. Afterwards every acknowledged write reads back, nothing is
 * half-written, every acknowledged action's audit event is once in the chain and at HEC, and the chain verifies.
 *
 * <p>MariaDB here is a private server (the machine's is shared): {@link PrivateMariaDb}.
 */
class FaultsUnderLoadIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final HecReceiver SPLUNK = HecReceiver.shared();
    private static final String ADMIN_PASSWORD = "faults operator passphrase " + UUID.randomUUID();
    /** Load between faults, and after each recovery before the next. */
    private static final long CALM_MILLIS = 4_000;
    /** A fault that takes longer than this to heal is a bug. */
    private static final long RECOVERY_LIMIT_MILLIS = 150_000;

    private static PrivateMariaDb db;
    private static LocalStack stack;
    /** Readiness samples every 500 ms: when a service answered /q/health/ready with anything but 200. */
    private static final List<long[]> NOT_READY = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static volatile boolean sampling;

    /** One fault's numbers. */
    private record Phase(String fault, long faultAt, long restoredAt, long readyAt, long endedAt, long hecCaughtUpMillis) {}

    @AfterEach
    void stopTheLoad() throws InterruptedException {
        SteadyLoad.stopAll(); // a failed assertion must not leave workers running into the next test
    }

    @AfterAll
    static void stopEverything() throws Exception {
        SPLUNK.start();
        if (stack != null) {
            stack.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** What the services logged about requests that got a 500 (by request id), so a CI failure names its cause. */
    private static void printLogLinesOf(List<SteadyLoad.Outcome> outcomes) throws java.io.IOException {
        if (outcomes.isEmpty()) {
            return;
        }
        Set<String> ids = outcomes.stream().map(SteadyLoad.Outcome::requestId).collect(Collectors.toSet());
        try (var logs = java.nio.file.Files.list(stack.home().resolve("logs"))) {
            for (java.nio.file.Path log : logs.filter(p -> p.getFileName().toString().contains("-service.log")).sorted().toList()) {
                try (var lines = java.nio.file.Files.lines(log, java.nio.charset.StandardCharsets.UTF_8)) {
                    lines.filter(line -> ids.stream().anyMatch(line::contains))
                            .forEach(line -> System.out.println("500 in " + log.getFileName() + ": " + line));
                }
            }
        }
        outcomes.forEach(o -> System.out.printf(Locale.ROOT, "500 answer: %s %s at %d ms after the load began%n", o.kind(), o.requestId(),
                o.endedMillis()));
    }

    @Test
    void acknowledgedWorkSurvivesEachFaultAndEveryServiceRecoversByItself() throws Exception {
        long began = System.currentTimeMillis();
        db = PrivateMariaDb.start(java.nio.file.Path.of(System.getProperty("strongroom.root", ".."))
                .toAbsolutePath().normalize().resolve("stack-tests/target/faults-" + UUID.randomUUID().toString().substring(0, 8)));
        SPLUNK.start();
        // the receiver is one per test JVM: as HEC answers by default, whatever a test before set
        SPLUNK.busy(false);
        SPLUNK.delay(0);
        SPLUNK.requireAck(false, 0);
        SPLUNK.countOnly(false);
        stack = new LocalStack()
                .with("STRONGROOM_DB_HOST", "127.0.0.1")
                .with("STRONGROOM_DB_PORT", Integer.toString(db.port()))
                .with("STRONGROOM_AUDIT_HEC_URL", SPLUNK.url())
                .with("STRONGROOM_AUDIT_HEC_TOKEN", SPLUNK.token())
                .with("STRONGROOM_AUTH_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD)
                .with("STRONGROOM_AUTH_RATE_LIMIT_REGISTER_REQUESTS", "1000")
                .with("STRONGROOM_AUTH_RATE_LIMIT_LOGIN_REQUESTS", "1000")
                // short backoffs keep the phases short; the defaults are 30 s and 60 s (docs/operations.md)
                .with("STRONGROOM_AUDIT_RELAY_BACKOFF_MAX", "2s")
                .with("STRONGROOM_AUDIT_HEC_BACKOFF_MAX", "2s");
        LocalStack.Result up = stack.up();
        assertThat(up.exitCode()).as(up.output()).isZero();
        long upMillis = System.currentTimeMillis() - began;

        String password = "steady load password " + UUID.randomUUID();
        call("POST", "auth-service", "/v1/auth/register", null, Map.of("username", "loader", "password", password), 201);
        String loader = call("POST", "auth-service", "/v1/auth/login", null, Map.of("username", "loader", "password", password), 200)
                .path("accessToken").asText();
        SteadyLoad load = new SteadyLoad(stack::url, loader, 40).start(2, 1, 1);
        sampling = true;
        Thread sampler = Thread.ofPlatform().daemon().name("readiness-sampler").start(FaultsUnderLoadIT::sampleReadiness);
        Thread.sleep(CALM_MILLIS);

        List<Phase> phases = new ArrayList<>();
        phases.add(fault("secrets-service", () -> {
            kill(stack.pid("secrets-service"));
            stack.up(); // what Kubernetes does for a dead pod: start it again
        }));
        phases.add(fault("kafka", () -> {
            kill(stack.pid("kafka"));
            Thread.sleep(3_000);
            stack.up(); // starts the broker again, and nothing else
        }));
        phases.add(fault("audit-service", () -> {
            kill(stack.pid("audit-service"));
            stack.up();
        }));
        phases.add(fault("mariadb", () -> {
            db.kill();
            Thread.sleep(3_000);
            db.startServer(); // the same data folder and port; the services reconnect by themselves
        }));
        phases.add(faultAtHec());
        load.stop();
        sampling = false;
        sampler.join(10_000);
        long loadEnded = System.currentTimeMillis();

        // what clients were told, per phase
        List<SteadyLoad.Outcome> all = load.outcomes();
        System.out.printf(Locale.ROOT, "%nFaults under load: stack up in %d s; %d requests, %d acknowledged%n",
                upMillis / 1000, all.size(), all.stream().filter(SteadyLoad.Outcome::acknowledged).count());
        System.out.printf(Locale.ROOT, "%-16s %-20s %6s %-18s %10s %8s %10s %7s  %s%n", "fault", "acked c/u/r/s/o", "failed",
                "failed c/u/r/s/o", "restart(s)", "ready(s)", "clients(s)", "hec(s)", "not ready (s, sampled) / failures seen by clients");
        for (Phase phase : phases) {
            // by when the answer came: a request sent just before a fault fails with it
            List<SteadyLoad.Outcome> during = all.stream()
                    .filter(o -> o.endedMillis() >= phase.faultAt() && o.endedMillis() < phase.endedAt()).toList();
            List<SteadyLoad.Outcome> failed = during.stream().filter(o -> o.result() == SteadyLoad.Result.FAILED).toList();
            long lastFailure = failed.stream().mapToLong(SteadyLoad.Outcome::endedMillis).max().orElse(phase.faultAt());
            Map<String, Long> kinds = failed.stream().collect(Collectors.groupingBy(
                    o -> o.kind().name().toLowerCase(Locale.ROOT) + ":" + (o.detail() == null ? "?" : o.detail()),
                    TreeMap::new, Collectors.counting()));
            Map<String, Double> notReady = new TreeMap<>();
            for (long[] sample : NOT_READY) {
                if (sample[0] >= phase.faultAt() && sample[0] < phase.endedAt()) {
                    notReady.merge(LocalStack.SERVICES.get((int) sample[1]), 0.5, Double::sum);
                }
            }
            System.out.printf(Locale.ROOT, "%-16s %-20s %6d %-18s %10.1f %8.1f %10.1f %7s  %s %s%n", phase.fault(),
                    SteadyLoad.count(during, SteadyLoad.Outcome::acknowledged).values().stream().map(String::valueOf)
                            .collect(Collectors.joining("/")), failed.size(),
                    SteadyLoad.count(failed, o -> true).values().stream().map(String::valueOf).collect(Collectors.joining("/")),
                    (phase.restoredAt() - phase.faultAt()) / 1000.0, (phase.readyAt() - phase.faultAt()) / 1000.0, (lastFailure - phase.faultAt()) / 1000.0,
                    phase.hecCaughtUpMillis() < 0 ? "-" : String.format(Locale.ROOT, "%.1f", phase.hecCaughtUpMillis() / 1000.0),
                    notReady, kinds);
        }
        assertThat(load.crashedWorkers()).as("load workers that died").isEmpty();
        assertThat(all.stream().filter(o -> o.result() == SteadyLoad.Result.WRONG).map(SteadyLoad.Outcome::toString))
                .as("answers that contradict an acknowledged write").isEmpty();
        // a fault is not a bug: clients are told 503 (retry), or cannot connect - never 500 internal-error
        List<SteadyLoad.Outcome> internalErrors = all.stream().filter(o -> o.status() == 500).toList();
        printLogLinesOf(internalErrors);
        assertThat(internalErrors.stream().map(o -> o.kind() + " " + o.detail()).distinct())
                .as("500 answers during faults").isEmpty();
        // after the last fault the load ran on: every kind of request was acknowledged again
        List<SteadyLoad.Outcome> last = load.outcomes(phases.get(phases.size() - 1).readyAt(), loadEnded);
        assertThat(SteadyLoad.count(last, SteadyLoad.Outcome::acknowledged).values()).allMatch(n -> n > 0);

        // every acknowledged write is readable; nothing unacknowledged is half-written
        SteadyLoad.Verification verification = load.verify();
        long acknowledgedWrites = all.stream().filter(o -> o.kind().write() && o.acknowledged()).count();
        System.out.printf(Locale.ROOT, "writes: %d acknowledged, %d readable with their value; %d secrets, %d versions checked;"
                + " failed creates: %d absent, %d present and whole%n", acknowledgedWrites, verification.acknowledgedWritesReadable(),
                verification.secrets(), verification.versionsChecked(), verification.failedWritesAbsent(), verification.failedWritesPresent());
        assertThat(verification.problems()).isEmpty();
        assertThat(verification.acknowledgedWritesReadable()).isEqualTo(acknowledgedWrites);

        // every acknowledged action's audit event: once in the chained log, and at HEC once after dedup by id
        List<SteadyLoad.Outcome> acknowledged = all.stream().filter(SteadyLoad.Outcome::acknowledged).toList();
        long auditStarted = System.currentTimeMillis();
        Map<String, List<String>> events = AuditChainEvents.await(() -> db.connect(stack.databasePrefix() + "audit"), acknowledged,
                RECOVERY_LIMIT_MILLIS);
        long auditMillis = System.currentTimeMillis() - auditStarted;
        Map<String, List<String>> duplicated = new TreeMap<>(events);
        duplicated.values().removeIf(ids -> ids.size() == 1);
        Set<String> eventIds = events.values().stream().flatMap(List::stream).collect(Collectors.toSet());
        List<JsonNode> atHec = awaitAtHec(eventIds);
        long hecDistinct = atHec.stream().map(e -> e.path("event").path("id").asText()).distinct().count();
        System.out.printf(Locale.ROOT, "audit: %d acknowledged actions, %d with their event in the chain (%d with more than one);"
                + " HEC: %d envelopes, %d distinct event ids, %d duplicates dropped by dedup id; settled in %d s%n",
                acknowledged.size(), events.size(), duplicated.size(), atHec.size(), hecDistinct, atHec.size() - hecDistinct,
                auditMillis / 1000);
        assertThat(events).hasSize(acknowledged.size());
        assertThat(duplicated).as("acknowledged actions with more than one audit event").isEmpty();
        assertThat(hecDistinct).isEqualTo(eventIds.size());

        String admin = call("POST", "auth-service", "/v1/auth/login", null, Map.of("username", "admin", "password", ADMIN_PASSWORD), 200)
                .path("accessToken").asText();
        JsonNode integrity = call("GET", "audit-service", "/v1/audit/integrity", admin, null, 200);
        System.out.printf(Locale.ROOT, "chain: %s; whole test %d s%n", integrity, (System.currentTimeMillis() - began) / 1000);
        assertThat(integrity.path("ok").asBoolean()).as(integrity.toString()).isTrue();
        for (String service : LocalStack.SERVICES) {
            assertThat(ready(service)).as(service + " ready").isTrue();
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    /** Runs a fault (and the platform's restart of what it killed), then waits until every service is ready again. */
    private static Phase fault(String name, Action action) throws Exception {
        long faultAt = System.currentTimeMillis();
        action.run();
        long restoredAt = System.currentTimeMillis();
        long readyAt = awaitAllReady(faultAt, name);
        Thread.sleep(CALM_MILLIS);
        return new Phase(name, faultAt, restoredAt, readyAt, System.currentTimeMillis(), -1);
    }

    /** The HEC receiver gone for 8 s: clients see nothing; forwarding catches up when it is back. */
    private static Phase faultAtHec() throws Exception {
        long faultAt = System.currentTimeMillis();
        SPLUNK.stop();
        Thread.sleep(8_000);
        SPLUNK.start();
        long back = System.currentTimeMillis();
        long readyAt = awaitAllReady(faultAt, "hec");
        Set<String> stored = storedEventIds();
        long deadline = back + RECOVERY_LIMIT_MILLIS;
        while (SPLUNK.indexedWithEventIdIn(stored).stream().map(e -> e.path("event").path("id").asText()).distinct().count() < stored.size()) {
            assertThat(System.currentTimeMillis()).as("HEC caught up with the %d stored events", stored.size()).isLessThan(deadline);
            Thread.sleep(250);
        }
        long caughtUp = System.currentTimeMillis() - back;
        Thread.sleep(CALM_MILLIS);
        return new Phase("hec", faultAt, back, readyAt, System.currentTimeMillis(), caughtUp);
    }

    private static void sampleReadiness() {
        while (sampling) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < LocalStack.SERVICES.size(); i++) {
                if (!ready(LocalStack.SERVICES.get(i))) {
                    NOT_READY.add(new long[] {now, i});
                }
            }
            try {
                Thread.sleep(Math.max(0, 500 - (System.currentTimeMillis() - now)));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void kill(long pid) throws Exception {
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        process.destroyForcibly(); // SIGKILL
        process.onExit().get();
    }

    private static long awaitAllReady(long since, String fault) throws Exception {
        while (true) {
            boolean all = true;
            for (String service : LocalStack.SERVICES) {
                all &= ready(service);
            }
            if (all) {
                return System.currentTimeMillis();
            }
            assertThat(System.currentTimeMillis() - since).as("every service ready again after the %s fault, without a restart", fault)
                    .isLessThan(RECOVERY_LIMIT_MILLIS);
            Thread.sleep(250);
        }
    }

    private static boolean ready(String service) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(stack.url(service) + "/q/health/ready")).timeout(Duration.ofSeconds(2))
                    .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static Set<String> storedEventIds() throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection c = db.connect(stack.databasePrefix() + "audit"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT JSON_VALUE(event, '$.id') FROM audit_record")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    private static List<JsonNode> awaitAtHec(Set<String> eventIds) throws Exception {
        long deadline = System.currentTimeMillis() + RECOVERY_LIMIT_MILLIS;
        while (true) {
            List<JsonNode> indexed = SPLUNK.indexedWithEventIdIn(eventIds);
            if (indexed.stream().map(e -> e.path("event").path("id").asText()).distinct().count() == eventIds.size()
                    || System.currentTimeMillis() > deadline) {
                return indexed;
            }
            Thread.sleep(500);
        }
    }

    private static JsonNode call(String method, String service, String path, String token, Object body, int status) throws Exception {
        return StackCalls.call(stack, method, service, path, token, body, status);
    }
}
