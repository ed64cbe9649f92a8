package dev.strongroom.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Operations under load on one stack (docs/operations.md, "Rotating the secrets KEK" and "Rolling restarts"), with
 * {@link SteadyLoad}'s writes and reads (reveal and compare) running throughout:
 * <ol>
 * <li>the {@code secrets} KEK rotates, {@code POST /v1/secrets/rewrap} rewraps every stored data key, the KEK's
 *     minDecryptionVersion is raised to the new version: no request fails, every version stays readable;</li>
 * <li>each service in turn runs as two instances, each stopped with SIGTERM and started again, one at a time: readiness
 *     turns DOWN first while the instance still answers (with {@code Connection: close}), in-flight requests finish, the
 *     audit relay stops cleanly; no request fails, every acknowledged action's audit event is in the chain exactly once.
 *     The instances clients call (secrets-service, sharing-service) sit behind {@link ReadyBalancer}, a client that
 *     picks a ready instance per request; those our services call (auth-service, key-service) behind
 *     {@link ReadyTcpProxy}, a kube-proxy-like TCP balancer, which the whole stack is started with; audit-service's two
 *     instances share the audit topic's partitions as one consumer group.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RollingOperationsIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** HTTP/1.1 only (the default client upgrades to HTTP/2, where a draining instance sends GOAWAY instead of a header). */
    private static final HttpClient HTTP1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_PASSWORD = "rolling operator passphrase " + UUID.randomUUID();

    private static LocalStack stack;
    private static String admin;
    private static String loader;
    private static String loaderPassword;
    /** The TCP balancers our services reach auth-service and key-service through, by service. */
    private static final Map<String, ReadyTcpProxy> PROXIES = new java.util.HashMap<>();
    /** Second instances this test started (stopped at the end whatever happened). */
    private static final List<Process> SECOND_INSTANCES = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * A request's time-out here: the phases assert that no request fails, and what they are about is refused or
     * reset connections, not a request slowed by a CPU stall of this shared 2-core machine.
     */
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @BeforeAll
    static void startStack() throws Exception {
        long began = System.currentTimeMillis();
        stack = new LocalStack();
        PROXIES.put("auth-service", new ReadyTcpProxy(0, List.of(stack.url("auth-service"))));
        PROXIES.put("key-service", new ReadyTcpProxy(0, List.of(stack.url("key-service"))));
        stack.with("STRONGROOM_SERVICES_AUTH_URL", PROXIES.get("auth-service").url())
                .with("STRONGROOM_SERVICES_KEYS_URL", PROXIES.get("key-service").url())
                // the run takes 8-15 minutes: tokens issued at the start must outlive it (default 15 minutes)
                .with("STRONGROOM_AUTH_ACCESS_TOKEN_TTL", "PT1H")
                // no cache of unwrapped data keys: every reveal asks key-service, so its roll is under load too
                .with("STRONGROOM_SECRETS_DATA_KEY_CACHE_MAX_ENTRIES", "0")
                .with("STRONGROOM_AUTH_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD)
                .with("STRONGROOM_AUTH_RATE_LIMIT_REGISTER_REQUESTS", "1000")
                .with("STRONGROOM_AUTH_RATE_LIMIT_LOGIN_REQUESTS", "1000")
                .with("STRONGROOM_SECRETS_ENVIRONMENTS", "development,staging,production,testing," + SteadyLoad.ENVIRONMENT);
        LocalStack.Result up = stack.up();
        assertThat(up.exitCode()).as(up.output()).isZero();
        System.out.printf(Locale.ROOT, "%nRolling operations: stack up in %d s%n", (System.currentTimeMillis() - began) / 1000);
        admin = call("POST", stack.url("auth-service"), "/v1/auth/login", null,
                Map.of("username", "admin", "password", ADMIN_PASSWORD), 200).path("accessToken").asText();
        loaderPassword = "rolling load password " + UUID.randomUUID();
        call("POST", stack.url("auth-service"), "/v1/auth/register", null, Map.of("username", "roller", "password", loaderPassword), 201);
        loader = call("POST", stack.url("auth-service"), "/v1/auth/login", null,
                Map.of("username", "roller", "password", loaderPassword), 200).path("accessToken").asText();
    }

    @AfterEach
    void stopTheLoad() throws InterruptedException {
        SteadyLoad.stopAll(); // a failed assertion must not leave workers running into the next test
    }

    @AfterAll
    static void stopStack() throws Exception {
        for (Process second : SECOND_INSTANCES) {
            if (second.isAlive()) {
                second.destroy();
                if (!second.waitFor(60, TimeUnit.SECONDS)) {
                    second.destroyForcibly();
                }
            }
        }
        if (stack != null) {
            stack.close();
            stack.dropDatabases();
        }
        for (ReadyTcpProxy proxy : PROXIES.values()) {
            proxy.close();
        }
    }

    @Test
    @Order(1)
    void rotatingTheSecretsKekAndRewrappingUnderLoadFailsNoRequestAndEverythingStaysReadable() throws Exception {
        long began = System.currentTimeMillis();
        String keys = stack.url("key-service");
        int before = call("GET", keys, "/v1/keys/secrets", admin, null, 200).path("primaryVersion").asInt();

        SteadyLoad load = new SteadyLoad(stack::url, loader, 20, PATIENCE).start(2, 2, 1);
        Thread.sleep(6_000);
        int rotated = call("POST", keys, "/v1/keys/secrets/rotate", admin, null, 200).path("primaryVersion").asInt();
        assertThat(rotated).isEqualTo(before + 1);
        Thread.sleep(3_000);
        long rewrapStarted = System.currentTimeMillis();
        JsonNode report = call("POST", stack.url("secrets-service"), "/v1/secrets/rewrap", admin, null, 200);
        long rewrapMillis = System.currentTimeMillis() - rewrapStarted;
        assertThat(report.path("kekVersion").asInt()).as(report.toString()).isEqualTo(rotated);
        assertThat(report.path("failed").asLong()).as(report.toString()).isZero();
        assertThat(report.path("behind").asLong()).as(report.toString()).isZero();
        assertThat(report.path("rewrapped").asLong()).as(report.toString()).isPositive();
        JsonNode raised = call("PATCH", keys, "/v1/keys/secrets", admin, Map.of("minDecryptionVersion", rotated), 200);
        assertThat(raised.path("minDecryptionVersion").asInt()).isEqualTo(rotated);
        Thread.sleep(6_000);
        load.stop();

        List<SteadyLoad.Outcome> all = load.outcomes();
        print("key rotation", all);
        System.out.printf(Locale.ROOT, "rewrap: %s in %d ms%n", report, rewrapMillis);
        assertThat(all.stream().filter(o -> o.result() != SteadyLoad.Result.ACKNOWLEDGED).map(SteadyLoad.Outcome::toString))
                .as("requests that failed or answered wrongly").isEmpty();
        assertThat(SteadyLoad.count(all, SteadyLoad.Outcome::acknowledged).values()).allMatch(n -> n > 0);

        // every stored version of every secret opens under the raised minimum (the load's and the integrity check's view)
        SteadyLoad.Verification verification = load.verify();
        System.out.printf(Locale.ROOT, "after minDecryptionVersion=%d: %d secrets, %d versions read back, %d acknowledged writes readable%n",
                rotated, verification.secrets(), verification.versionsChecked(), verification.acknowledgedWritesReadable());
        assertThat(verification.problems()).isEmpty();
        assertThat(verification.acknowledgedWritesReadable())
                .isEqualTo(all.stream().filter(o -> o.kind().write() && o.acknowledged()).count());
        JsonNode integrity = call("GET", stack.url("secrets-service"), "/v1/secrets/integrity", admin, null, 200);
        assertThat(integrity.path("ok").asBoolean()).as(integrity.toString()).isTrue();
        JsonNode again = call("POST", stack.url("secrets-service"), "/v1/secrets/rewrap", admin, null, 200);
        assertThat(again.path("rewrapped").asLong()).as(again.toString()).isZero();
        assertThat(again.path("behind").asLong()).as(again.toString()).isZero();
        System.out.printf(Locale.ROOT, "key rotation phase: %d s%n", (System.currentTimeMillis() - began) / 1000);
    }

    @Test
    @Order(2)
    void aRollingRestartOfTwoSecretsServiceInstancesUnderLoadFailsNoRequest() throws Exception {
        rollingRestart("secrets-service", "/v1/secrets?limit=1", new Mix(2, 3, 0, 0));
    }

    @Test
    @Order(3)
    void aRollingRestartOfTwoSharingServiceInstancesUnderLoadFailsNoRequest() throws Exception {
        // the sharers create each share on one instance and often reveal it on the other
        rollingRestart("sharing-service", "/v1/shares?limit=1", new Mix(1, 1, 2, 0));
    }

    @Test
    @Order(4)
    void aRollingRestartOfTwoKeyServiceInstancesBehindTheTcpBalancerFailsNoRequest() throws Exception {
        // every write asks key-service for a data key, every share encrypts through it, reads unwrap through it
        rollingRestart("key-service", "/v1/keys/secrets", new Mix(2, 2, 1, 0));
    }

    @Test
    @Order(5)
    void aRollingRestartOfTwoAuthServiceInstancesBehindTheTcpBalancerFailsNoRequest() throws Exception {
        // logins reach auth-service through the balancer too, and their tokens are used at once
        rollingRestart("auth-service", "/v1/auth/jwks", new Mix(1, 1, 1, 2));
    }

    @Test
    @Order(6)
    void aRollingRestartOfTwoAuditServiceInstancesLosesAndDuplicatesNoEvent() throws Exception {
        // the two instances are one consumer group: each SIGTERM hands its partitions (chains) to the other
        rollingRestart("audit-service", "/v1/audit/events?limit=1", new Mix(2, 2, 1, 0));
        JsonNode integrity = call("GET", stack.url("audit-service"), "/v1/audit/integrity", admin, null, 200);
        System.out.println("audit chain after the roll: " + integrity);
        assertThat(integrity.path("ok").asBoolean()).as(integrity.toString()).isTrue();
    }

    /** How many of each {@link SteadyLoad} worker run during a roll. */
    private record Mix(int writers, int readers, int sharers, int logins) {}

    /**
     * Two instances of {@code service} under {@link SteadyLoad}, each stopped with SIGTERM and started again in turn:
     * behind its {@link ReadyTcpProxy} when our services call it through one, else behind a {@link ReadyBalancer} the
     * load picks an instance from per request. {@code probe} is an ordinary GET (as admin) the stopping instance must
     * still answer while its readiness is already DOWN.
     */
    private static void rollingRestart(String service, String probe, Mix mix) throws Exception {
        long began = System.currentTimeMillis();
        String first = stack.url(service);
        List<String> command = commandLine(stack.pid(service));
        int secondPort = freePort();
        String secondUrl = "http://127.0.0.1:" + secondPort;
        Path secondLog = stack.home().resolve("logs/" + service + "-2.log");
        Process second = startInstance(command, secondPort, secondLog);
        awaitReady(secondUrl, second);
        // Restarting instance 1 below must leave the build the second instance runs from alone: Quarkus opens its jars
        // again by path after start-up, and one that vanished for a moment hung an event loop for good (CI, session 10).
        // The marker also makes that copy differ from the build, so ./strongroom up installs a new one beside it.
        Path secondApp = Path.of(command.get(command.indexOf("-jar") + 1)).getParent();
        Path marker = Files.writeString(secondApp.resolve("in-use-by-" + service + "-2"), "second instance");

        ReadyTcpProxy proxy = PROXIES.get(service);
        ReadyBalancer clientSide = proxy == null ? new ReadyBalancer(List.of(first, secondUrl)) : null;
        ReadyBalancer balancer = proxy == null ? clientSide : proxy.balancer();
        if (proxy != null) {
            proxy.balancer().add(secondUrl);
            awaitBalancerReady(balancer, secondUrl);
        }
        long[] bytesBefore = proxy == null ? null : new long[] {proxy.bytesTo(first), proxy.bytesTo(secondUrl)};
        try {
            SteadyLoad load = new SteadyLoad(called -> {
                if (clientSide != null && service.equals(called)) {
                    return clientSide.next();
                }
                return PROXIES.containsKey(called) ? PROXIES.get(called).url() : stack.url(called);
            }, loader, 20, PATIENCE).withLogins(mix.logins(), "roller", loaderPassword)
                    .start(mix.writers(), mix.readers(), mix.sharers());
            Thread.sleep(4_000);

            // instance 1: what Kubernetes does in a rolling update: SIGTERM, then a new pod on the same spec
            long firstPid = stack.pid(service);
            Stop one = stop(balancer, first, ProcessHandle.of(firstPid).orElseThrow(), probe);
            long restartAt = System.currentTimeMillis();
            LocalStack.Result up = stack.up(); // starts what is not running: this instance again
            assertThat(up.exitCode()).as(up.output()).isZero();
            assertThat(marker).as("./strongroom up kept the copy the second instance runs from").exists();
            assertThat(secondApp.resolve("quarkus-run.jar")).exists();
            awaitBalancerReady(balancer, first);
            long firstBack = System.currentTimeMillis() - restartAt;
            Thread.sleep(3_000);

            // instance 2
            Stop two = stop(balancer, secondUrl, second.toHandle(), probe);
            restartAt = System.currentTimeMillis();
            second = startInstance(command, secondPort, secondLog);
            awaitBalancerReady(balancer, secondUrl);
            long secondBack = System.currentTimeMillis() - restartAt;
            Thread.sleep(4_000);
            load.stop();

            List<SteadyLoad.Outcome> all = load.outcomes();
            print("rolling restart of " + service, all);
            System.out.printf(Locale.ROOT, "instance 1: %s, ready again %.1f s after start%n", one, firstBack / 1000.0);
            System.out.printf(Locale.ROOT, "instance 2: %s, ready again %.1f s after start%n", two, secondBack / 1000.0);
            if (proxy != null) {
                System.out.printf(Locale.ROOT, "through the TCP balancer during the roll: %d request bytes to instance 1, %d to instance 2;"
                        + " connections so far %d and %d, %d refused connects%n", proxy.bytesTo(first) - bytesBefore[0],
                        proxy.bytesTo(secondUrl) - bytesBefore[1], proxy.connectionsTo(first), proxy.connectionsTo(secondUrl),
                        proxy.refusedConnects());
            }
            assertThat(load.crashedWorkers()).as("load workers that died").isEmpty();
            assertThat(all.stream().filter(o -> o.result() != SteadyLoad.Result.ACKNOWLEDGED).map(SteadyLoad.Outcome::toString))
                    .as("requests that failed or answered wrongly").isEmpty();
            for (Stop stop : List.of(one, two)) {
                assertThat(stop.closedConnections()).as("answers while draining carry Connection: close; " + stop).isTrue();
                // readiness went DOWN while the instance still served (the shutdown delay), then it exited cleanly
                assertThat(stop.servedWhileNotReady()).as(stop.toString()).isTrue();
                assertThat(stop.exitMillis() - stop.notReadyMillis()).as(stop.toString()).isGreaterThanOrEqualTo(3_000);
                assertThat(stop.exitMillis()).as(stop.toString()).isLessThan(30_000);
            }
            SteadyLoad.Verification verification = load.verify();
            System.out.printf(Locale.ROOT, "after the restarts: %d secrets, %d versions read back, %d acknowledged writes readable%n",
                    verification.secrets(), verification.versionsChecked(), verification.acknowledgedWritesReadable());
            assertThat(verification.problems()).isEmpty();
            assertThat(verification.acknowledgedWritesReadable())
                    .isEqualTo(all.stream().filter(o -> o.kind().write() && o.acknowledged()).count());
            if (proxy != null) {
                // the callers' requests really went to both instances during the roll
                assertThat(proxy.bytesTo(first)).isGreaterThan(bytesBefore[0]);
                assertThat(proxy.bytesTo(secondUrl)).isGreaterThan(bytesBefore[1]);
            }

            // every acknowledged action's audit event, once in the chain (the stopped relays and consumers lost none)
            List<SteadyLoad.Outcome> acknowledged = all.stream().filter(SteadyLoad.Outcome::acknowledged).toList();
            Map<String, List<String>> events = AuditChainEvents.await(() -> java.sql.DriverManager.getConnection(
                    "jdbc:mariadb://127.0.0.1:3306/" + stack.databasePrefix() + "audit", "root", ""), acknowledged, 120_000);
            long duplicated = events.values().stream().filter(ids -> ids.size() > 1).count();
            System.out.printf(Locale.ROOT, "audit: %d acknowledged actions, %d with their event in the chain, %d with more than one%n",
                    acknowledged.size(), events.size(), duplicated);
            assertThat(events).hasSize(acknowledged.size());
            assertThat(duplicated).as("acknowledged actions with more than one audit event").isZero();
        } finally {
            if (clientSide != null) {
                clientSide.close();
            }
        }
        // the relays of the stopped instances left nothing behind: both outboxes drain
        for (String url : List.of(first, secondUrl)) {
            assertThat(awaitOutboxDrained(url)).as("audit outbox of " + url + " drained").isTrue();
        }
        assertThat(Files.readString(stack.home().resolve("logs/" + service + ".log.1"))).contains("stopped in");
        if (proxy != null) {
            proxy.balancer().remove(secondUrl);
            Thread.sleep(1_000); // callers' connections to it are closed while it drains below
        }
        second.destroy(); // done with it; the next phase rolls another service
        second.onExit().get(60, TimeUnit.SECONDS);
        System.out.printf(Locale.ROOT, "rolling restart phase of %s: %d s%n", service, (System.currentTimeMillis() - began) / 1000);
    }

    /**
     * One instance's stop: ms from SIGTERM to readiness DOWN (as the balancer saw it) and to the process' exit; whether
     * it answered an ordinary request while not ready, and that answer said {@code Connection: close}.
     */
    private record Stop(long notReadyMillis, long exitMillis, boolean servedWhileNotReady, boolean closedConnections) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "SIGTERM -> not ready %.1f s, -> exited %.1f s, served while not ready: %s,"
                    + " Connection: close: %s", notReadyMillis / 1000.0, exitMillis / 1000.0, servedWhileNotReady, closedConnections);
        }
    }

    private static Stop stop(ReadyBalancer balancer, String url, ProcessHandle process, String probe) throws Exception {
        balancer.forget(url);
        long sent = System.currentTimeMillis();
        assertThat(process.destroy()).as("SIGTERM sent").isTrue();
        // during the shutdown delay: readiness 503 and an ordinary request still answered
        boolean served = false;
        boolean closing = false;
        long deadline = sent + 10_000;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> ready = send("GET", url, "/q/health/ready", null, null);
            if (ready != null && ready.statusCode() == 503) {
                // the instance looks at its readiness every 100 ms: Connection: close follows within a moment
                long closeBy = System.currentTimeMillis() + 2_000;
                do {
                    HttpResponse<String> answer = send(HTTP1, "GET", url, probe, admin, null);
                    served = answer != null && answer.statusCode() == 200;
                    closing = answer != null && answer.headers().firstValue("connection").orElse("").equalsIgnoreCase("close");
                } while (served && !closing && System.currentTimeMillis() < closeBy);
                break;
            }
            Thread.sleep(50);
        }
        process.onExit().get(60, TimeUnit.SECONDS);
        long exited = System.currentTimeMillis() - sent;
        Long notReady = balancer.firstNotReady(url);
        return new Stop(notReady == null ? -1 : notReady - sent, exited, served, closing);
    }

    private static void print(String phase, List<SteadyLoad.Outcome> all) {
        Map<String, Long> failures = all.stream().filter(o -> !o.acknowledged())
                .collect(Collectors.groupingBy(o -> o.kind() + ":" + o.detail(), TreeMap::new, Collectors.counting()));
        System.out.printf(Locale.ROOT, "%s: %d requests, acknowledged by kind %s, failed %s%n", phase, all.size(),
                SteadyLoad.count(all, SteadyLoad.Outcome::acknowledged), failures);
    }

    /** The command line the stack started a service with. */
    private static List<String> commandLine(long pid) throws IOException {
        String raw = Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.UTF_8);
        return List.of(raw.split("\0"));
    }

    /**
     * A second instance: the first one's command line and environment on another port (same database, Kafka and
     * configuration), as a second pod of one Deployment.
     */
    private static Process startInstance(List<String> command, int port, Path log) throws IOException {
        List<String> copy = new ArrayList<>();
        for (String arg : command) {
            copy.add(arg.startsWith("-Dquarkus.http.port=") ? "-Dquarkus.http.port=" + port : arg);
        }
        ProcessBuilder builder = new ProcessBuilder(copy).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // the environment ./strongroom gives its services (STRONGROOM_* settings; the database password, empty here)
        builder.environment().putAll(stack.environment());
        builder.environment().putIfAbsent("STRONGROOM_DB_PASSWORD", "");
        Process started = builder.start();
        SECOND_INSTANCES.add(started);
        return started;
    }

    private static void awaitReady(String url, Process process) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            assertThat(process.isAlive()).as("the second instance is running").isTrue();
            HttpResponse<String> ready = send("GET", url, "/q/health/ready", null, null);
            if (ready != null && ready.statusCode() == 200) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(url + " did not become ready");
    }

    private static void awaitBalancerReady(ReadyBalancer balancer, String url) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 180_000;
        while (!balancer.ready(url)) {
            assertThat(System.currentTimeMillis()).as(url + " ready again").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static boolean awaitOutboxDrained(String url) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> metrics = send("GET", url, "/q/metrics", null, null);
            if (metrics != null && metrics.statusCode() == 200
                    && metrics.body().lines().anyMatch(l -> l.startsWith("strongroom_audit_outbox_pending ") && l.endsWith(" 0.0"))) {
                return true;
            }
            Thread.sleep(1_000);
        }
        return false;
    }

    private static JsonNode call(String method, String base, String path, String token, Object body, int expected) throws Exception {
        HttpResponse<String> answer = send(method, base, path, token, body);
        assertThat(answer).as(method + " " + path + " answered").isNotNull();
        assertThat(answer.statusCode()).as(method + " " + path + ": " + answer.body()).isEqualTo(expected);
        return answer.body().isEmpty() ? JSON.missingNode() : JSON.readTree(answer.body());
    }

    /** The answer, or null when the connection failed. */
    private static HttpResponse<String> send(String method, String base, String path, String token, Object body) throws InterruptedException {
        return send(HTTP, method, base, path, token, body);
    }

    private static HttpResponse<String> send(HttpClient client, String method, String base, String path, String token, Object body)
            throws InterruptedException {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
