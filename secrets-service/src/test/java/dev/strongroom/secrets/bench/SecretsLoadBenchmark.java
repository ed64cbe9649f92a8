package dev.strongroom.secrets.bench;

import dev.strongroom.testing.KafkaBroker;
import dev.strongroom.testing.KeyServiceTestResource;
import dev.strongroom.testing.ProcessCpu;
import dev.strongroom.testing.ServiceProcess;
import dev.strongroom.testing.TestDatabase;
import dev.strongroom.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Load benchmark of secrets-service (docs/performance.md): reveal (closed loop at full speed, then open
 * loop at a fixed rate), create and list, printing p50/p90/p99 and requests/s.
 *
 * <p>By default it starts what it measures: the JVM's Kafka broker, key-service and secrets-service as
 * packaged processes (real MariaDB databases, tokens signed by {@link TestTokens}' key). With
 * {@code --url} it drives an already running secrets-service instead, with a bearer token from
 * {@code --token} (e.g. from auth-service's login; it lives 15 minutes), and {@code --pid} /
 * {@code --key-service-pid} for the CPU columns.
 *
 * <pre>
 *   ./mvnw -pl secrets-service -Pbench package exec:exec [-Dbench.args="--duration 20 --concurrency 32"]
 *   (--only reveal: just the reveal phases; --only create: just the create phases; --secrets-service-jvm "-Xmx512m -Dkey=value": the service's JVM options)
 * </pre>
 */
public final class SecretsLoadBenchmark {

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final Map<String, String> options;
    private String baseUrl;
    private Supplier<String> bearer;
    private final List<String> rows = new ArrayList<>();
    private long servicePid = -1;
    private long keyServicePid = -1;

    private SecretsLoadBenchmark(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        new SecretsLoadBenchmark(options).run();
        System.exit(0);
    }

    private int option(String name, int fallback) {
        return Integer.parseInt(options.getOrDefault(name, Integer.toString(fallback)));
    }

    private void run() throws Exception {
        List<AutoCloseable> started = new ArrayList<>();
        // Stopped with Ctrl-C or kill: still stop the services and drop the databases.
        Thread cleanup = new Thread(() -> close(started), "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            if (options.containsKey("url")) {
                baseUrl = options.get("url");
                String token = options.get("token");
                bearer = () -> "Bearer " + token;
                servicePid = Long.parseLong(options.getOrDefault("pid", "-1"));
                keyServicePid = Long.parseLong(options.getOrDefault("key-service-pid", "-1"));
            } else {
                startServices(started);
                // Tokens live 15 minutes: mint one per phase.
                bearer = () -> TestTokens.bearer("bench", "user");
            }
            int duration = option("duration", 20);
            int concurrency = option("concurrency", 32);
            int secrets = option("secrets", 200);
            System.out.printf("secrets-service at %s; %d cores; %d s per phase; %d concurrent clients%n",
                    baseUrl, Runtime.getRuntime().availableProcessors(), duration, concurrency);

            List<String> ids = setUp(secrets);
            boolean hey = !"java".equals(options.get("driver")) && heyAvailable();
            System.out.println("load driver for reveal and list: " + (hey ? "hey (Go, lighter on the shared CPUs)" : "this JVM"));
            if (options.containsKey("seed") && options.containsKey("hold")) {
                seed(Integer.parseInt(options.get("seed")));
                System.out.println("database " + database.name());
                System.out.println("admin token: " + TestTokens.bearer("root", "admin"));
                System.out.println("u42 token: " + TestTokens.bearer("u42", "user", "team-t5"));
            }
            if (options.containsKey("hold")) {
                System.out.printf("holding for %s s: %s, e.g. curl -H 'Authorization: %s' %s/v1/secrets/%s/value%n",
                        options.get("hold"), baseUrl, bearer.get(), baseUrl, ids.get(0));
                Thread.sleep(Long.parseLong(options.get("hold")) * 1000);
                return;
            }
            if (options.containsKey("seed")) {
                seed(Integer.parseInt(options.get("seed")));
                listAtScale(duration, concurrency);
                printTable();
                return;
            }
            int warmUp = option("warm-up", 40);
            if ("create".equals(options.get("only"))) {
                createPhases(warmUp, duration, concurrency);
                printTable();
                return;
            }
            String revealUrl = baseUrl + "/v1/secrets/" + ids.get(0) + "/value";
            Result max;
            if (hey) {
                heyPhase("warm-up reveal (not reported)", revealUrl, concurrency, 0, warmUp, false);
                max = heyPhase("reveal, closed loop", revealUrl, concurrency, 0, duration, true);
                int half = Math.max(1, (int) (max.perSecond() / 2));
                heyPhase("reveal, open loop at half the max rate", revealUrl, 8, half, duration, true);
                if (options.containsKey("rate")) {
                    heyPhase("reveal, open loop", revealUrl, 8, option("rate", 2000), duration, true);
                }
            } else {
                phase("warm-up reveal (not reported)", warmUp, concurrency, 0, i -> reveal(ids, i), false);
                max = phase("reveal, closed loop", duration, concurrency, 0, i -> reveal(ids, i), true);
                int half = Math.max(1, (int) (max.perSecond() / 2));
                phase("reveal, open loop at half the max rate (" + half + "/s)", duration, 0, half, i -> reveal(ids, i), true);
                if (options.containsKey("rate")) {
                    int target = option("rate", 2000);
                    phase("reveal, open loop at " + target + "/s", duration, 0, target, i -> reveal(ids, i), true);
                }
            }
            if ("reveal".equals(options.get("only"))) {
                printTable();
                return;
            }
            // Create and list get their own warm-up, so the single-client rows do not measure the JIT compiler.
            String warm = "bench-warm-" + UUID.randomUUID().toString().substring(0, 6);
            phase("warm-up create and list (not reported)", Math.max(5, warmUp / 3), Math.min(concurrency, 16), 0,
                    i -> i % 2 == 0 ? create(warm + "/s" + i) : get("/v1/secrets?limit=100&q=bench-setup"), false);
            // One client at a time: the latency of a single request on an idle service.
            String single = "bench-single-" + UUID.randomUUID().toString().substring(0, 6);
            phase("create, one client", 10, 1, 0, i -> create(single + "/s" + i), true);
            phase("reveal, one client", 10, 1, 0, i -> reveal(ids, i), true);
            phase("list 100, one client", 10, 1, 0, i -> get("/v1/secrets?limit=100&q=bench-setup"), true);
            String prefix = "bench-create-" + UUID.randomUUID().toString().substring(0, 6);
            phase("create (unique names, this JVM drives)", duration, Math.min(concurrency, 16), 0, i -> create(prefix + "/s" + i), true);
            if (hey) {
                heyPhase("list, 100 per page", baseUrl + "/v1/secrets?limit=100&q=bench-setup", concurrency, 0, duration, true);
            } else {
                phase("list, 100 per page", duration, concurrency, 0, i -> get("/v1/secrets?limit=100&q=bench-setup"), true);
            }
            printTable();
        } finally {
            close(started);
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    /** Creates alone (--only create): a warm-up, one client, then up to 16. */
    private void createPhases(int warmUp, int duration, int concurrency) throws Exception {
        String run = "bench-" + UUID.randomUUID().toString().substring(0, 6);
        phase("warm-up create (not reported)", warmUp, Math.min(concurrency, 16), 0, i -> create(run + "-warm/s" + i), false);
        phase("create, one client", duration, 1, 0, i -> create(run + "-single/s" + i), true);
        phase("create (unique names, this JVM drives)", duration, Math.min(concurrency, 16), 0, i -> create(run + "-many/s" + i), true);
    }

    private static synchronized void close(List<AutoCloseable> started) {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("could not stop " + started.get(i) + ": " + e);
            }
        }
        started.clear();
    }

    private void printTable() {
        System.out.println();
        System.out.println("| operation | clients / rate | requests/s | p50 ms | p90 ms | p99 ms | errors "
                + "| CPU ms/request: secrets-service | key-service | MariaDB | load driver |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.println();
        System.out.println(metricsLine());
    }

    private TestDatabase database;

    /**
     * Adds {@code count} secrets straight into the database (metadata, tags and grants, no versions):
     * 10,000 owners with count/10,000 secrets each, one READ grant per secret to another user, a READ
     * grant to a team role on every fifth secret, one tag per secret.
     */
    private void seed(int count) throws Exception {
        long start = System.nanoTime();
        try (java.sql.Connection c = database.connect(); java.sql.Statement s = c.createStatement()) {
            String seq = "seq_1_to_" + count;
            s.execute("INSERT INTO secret (id, environment, name, type, description, tags, owner, created_by, created_at, updated_at,"
                    + " current_version, max_versions) SELECT UNHEX(REPLACE(UUID(), '-', '')),"
                    + " ELT(1 + seq % 4, 'development', 'staging', 'production', 'testing'), CONCAT('svc', seq DIV 1000, '/key', seq),"
                    + " ELT(1 + seq % 3, 'generic', 'password', 'api-key'), NULL, CONCAT('{\"team\":\"t', seq % 50, '\"}'),"
                    + " CONCAT('user:u', seq % 10000), CONCAT('user:u', seq % 10000), NOW(6), NOW(6), 1, 10 FROM " + seq);
            s.execute("INSERT INTO secret_tag (secret_id, tag_key, tag_value, environment, name)"
                    + " SELECT id, 'team', JSON_VALUE(tags, '$.team'), environment, name FROM secret WHERE name LIKE 'svc%'");
            s.execute("INSERT INTO secret_grant (secret_id, principal, permissions, environment, name, created_at, created_by)"
                    + " SELECT id, CONCAT('user:u', (CAST(SUBSTRING_INDEX(name, 'key', -1) AS UNSIGNED) * 7 + 3) % 10000), 1,"
                    + " environment, name, NOW(6), owner FROM secret WHERE name LIKE 'svc%'");
            s.execute("INSERT INTO secret_grant (secret_id, principal, permissions, environment, name, created_at, created_by)"
                    + " SELECT id, CONCAT('role:team-', JSON_VALUE(tags, '$.team')), 1, environment, name, NOW(6), owner FROM secret"
                    + " WHERE name LIKE 'svc%' AND CAST(SUBSTRING_INDEX(name, 'key', -1) AS UNSIGNED) % 5 = 0");
            s.execute("ANALYZE TABLE secret, secret_grant, secret_tag");
        }
        System.out.printf("seeded %,d secrets in %.0f s%n", count, (System.nanoTime() - start) / 1e9);
    }

    /** List pages at scale, as one user (100 own, 100 granted, 20,000 through a role) and as an admin. */
    private void listAtScale(int seconds, int clients) throws Exception {
        String base = baseUrl + "/v1/secrets?limit=50";
        Supplier<String> user = () -> TestTokens.bearer("u42", "user", "team-t5");
        Supplier<String> admin = () -> TestTokens.bearer("root", "admin");
        String lastPage = lastCursor(base, user);
        Object[][] cases = {
            {"list: user, first page", base, user},
            {"list: user, environment=production", base + "&environment=production", user},
            {"list: user, q=svc7 (prefix, all environments)", base + "&q=svc7", user},
            {"list: user, a page deep in the role's 20,000", base + "&cursor=" + lastPage, user},
            {"list: admin, first page of 1,000,000", base, admin},
            {"list: admin, tag=team:t7", base + "&tag=team:t7", admin},
            {"list: admin, environment=staging&q=svc999/", base + "&environment=staging&q=svc999/", admin},
            {"list: admin, type=api-key&environment=testing", base + "&type=api-key&environment=testing", admin},
        };
        bearer = user;
        heyPhase("warm-up list (not reported)", base, clients, 0, seconds, false);
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            Supplier<String> who = (Supplier<String>) c[2];
            bearer = who;
            heyPhase((String) c[0], (String) c[1], clients, 0, seconds, true);
        }
    }

    /** Follows a user's pages 200 deep and returns the cursor there. */
    private String lastCursor(String base, Supplier<String> who) throws Exception {
        String cursor = null;
        for (int i = 0; i < 200; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + (cursor == null ? "" : "&cursor=" + cursor)))
                    .header("Authorization", who.get()).GET().build();
            String body = send(request).body();
            java.util.regex.Matcher next = java.util.regex.Pattern.compile("\"nextCursor\":\"([^\"]+)\"").matcher(body);
            if (!next.find()) {
                break;
            }
            cursor = next.group(1);
        }
        return cursor;
    }

    private void startServices(List<AutoCloseable> started) {
        KafkaBroker broker = KafkaBroker.shared();
        KeyServiceTestResource keys = new KeyServiceTestResource();
        keys.init(Map.of("token-property", "strongroom.secrets.kms.token",
                "jvm-options", options.getOrDefault("key-service-jvm", "-Xms128m -Xmx256m")));
        Map<String, String> properties = new HashMap<>(keys.start());
        started.add(keys::stop);
        database = TestDatabase.create("bench");
        started.add(database::drop);
        properties.putAll(database.quarkusConfig());
        properties.put("strongroom.kafka.bootstrap", broker.bootstrapServers());
        properties.put("strongroom.auth.jwks-url", TestTokens.jwksUrl());
        properties.put("strongroom.auth.issuer", TestTokens.ISSUER);
        properties.put("strongroom.auth.audience", TestTokens.AUDIENCE);
        properties.put("quarkus.log.level", "WARN");
        List<String> jvm = List.of(options.getOrDefault("secrets-service-jvm", "-Xms256m -Xmx512m").split("\\s+"));
        ServiceProcess secrets = ServiceProcess.start("secrets-service", properties, jvm, Duration.ofSeconds(180));
        started.add(secrets);
        baseUrl = secrets.baseUrl();
        servicePid = secrets.pid();
        keyServicePid = KeyServiceTestResource.current().pid();
    }

    /** Creates the secrets the reveal and list phases read. */
    private List<String> setUp(int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> answer = send(post("/v1/secrets", "{\"name\":\"bench-setup/" + UUID.randomUUID()
                    + "\",\"environment\":\"production\",\"value\":\"" + UUID.randomUUID() + UUID.randomUUID() + "\"}"));
            if (answer.statusCode() != 201) {
                throw new IllegalStateException("set-up create answered " + answer.statusCode() + ": " + answer.body());
            }
            int at = answer.body().indexOf("\"id\":\"");
            ids.add(answer.body().substring(at + 6, at + 42));
        }
        return ids;
    }

    private HttpRequest reveal(List<String> ids, long i) {
        return get("/v1/secrets/" + ids.get((int) (i % ids.size())) + "/value");
    }

    private HttpRequest create(String name) {
        return post("/v1/secrets", "{\"name\":\"" + name + "\",\"environment\":\"staging\",\"value\":\"" + UUID.randomUUID() + "\"}");
    }

    private String token;

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", token).GET().build();
    }

    private HttpRequest post(String path, String json) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", token == null ? bearer.get() : token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @FunctionalInterface
    private interface Requests {
        HttpRequest nth(long i);
    }

    /** Requests answered (sent minus dropped), errors (non-2xx, failures and dropped), wall time, latencies. */
    private record Result(long requests, long errors, double seconds, long[] latencies) {
        double perSecond() {
            return requests / seconds;
        }

        double percentile(double p) {
            if (latencies.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(latencies.length - 1, Math.ceil(p / 100 * latencies.length) - 1);
            return latencies[Math.max(0, index)] / 1e6;
        }
    }

    /**
     * Closed loop ({@code clients} > 0: each client sends its next request when the previous answered)
     * or open loop ({@code rate} per second, latency counted from the intended send time, so a stall
     * shows up in the percentiles instead of lowering the load).
     */
    private Result phase(String label, int seconds, int clients, int rate, Requests requests, boolean report) throws Exception {
        token = bearer.get();
        long[] cpuBefore = {ProcessCpu.millis(servicePid), ProcessCpu.millis(keyServicePid), ProcessCpu.millis(ProcessCpu.mariadbPid()), ProcessCpu.self()};
        ConcurrentLinkedQueue<long[]> samples = new ConcurrentLinkedQueue<>();
        AtomicLong counter = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(seconds).toNanos();
        if (clients > 0) {
            CountDownLatch done = new CountDownLatch(clients);
            for (int c = 0; c < clients; c++) {
                Thread.ofVirtual().start(() -> {
                    long[] mine = new long[1024];
                    int n = 0;
                    while (System.nanoTime() < deadline) {
                        long sent = System.nanoTime();
                        exchange(requests.nth(counter.getAndIncrement()), errors);
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = System.nanoTime() - sent;
                    }
                    samples.add(Arrays.copyOf(mine, n));
                    done.countDown();
                });
            }
            done.await();
        } else {
            long interval = 1_000_000_000L / rate;
            long total = (long) seconds * rate;
            long[] latencies = new long[(int) total];
            AtomicInteger outstanding = new AtomicInteger();
            AtomicInteger sent = new AtomicInteger();
            CountDownLatch done = new CountDownLatch((int) total);
            int maxOutstanding = option("max-outstanding", 256);
            for (long i = 0; i < total; i++) {
                long intended = start + i * interval;
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (outstanding.get() >= maxOutstanding) {
                    // The server is not keeping up: count the request as failed rather than queue without bound.
                    errors.incrementAndGet();
                    latencies[(int) i] = Long.MAX_VALUE;
                    done.countDown();
                    continue;
                }
                long index = i;
                outstanding.incrementAndGet();
                sent.incrementAndGet();
                Thread.ofVirtual().start(() -> {
                    exchange(requests.nth(index), errors);
                    latencies[(int) index] = System.nanoTime() - intended;
                    outstanding.decrementAndGet();
                    done.countDown();
                });
            }
            done.await();
            counter.set(sent.get());
            samples.add(latencies);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] cpuAfter = {ProcessCpu.millis(servicePid), ProcessCpu.millis(keyServicePid), ProcessCpu.millis(ProcessCpu.mariadbPid()), ProcessCpu.self()};
        long[] all = samples.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        // Dropped open-loop requests count as infinitely slow in the percentiles.
        Result result = new Result(counter.get(), errors.get(), elapsed, all);
        String load = clients > 0 ? clients + " clients" : rate + "/s";
        long done = Math.max(1, result.requests());
        String line = String.format(Locale.ROOT, "| %s | %s | %.0f | %s | %s | %s | %d | %s | %s | %s | %s |", label, load, result.perSecond(),
                ms(result.percentile(50)), ms(result.percentile(90)), ms(result.percentile(99)), result.errors(),
                ProcessCpu.per(cpuBefore[0], cpuAfter[0], done, 1), ProcessCpu.per(cpuBefore[1], cpuAfter[1], done, 1),
                ProcessCpu.per(cpuBefore[2], cpuAfter[2], done, 1), ProcessCpu.per(cpuBefore[3], cpuAfter[3], done, 1));
        System.out.println(line);
        if (report) {
            rows.add(line);
        }
        return result;
    }

    private static boolean heyAvailable() {
        try {
            return new ProcessBuilder("hey").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor() >= 0;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * A phase driven by {@code hey}: closed loop with {@code clients} workers, or rate limited to
     * {@code rate} requests/s in total (hey's {@code -q} is per worker). hey reports percentiles of the
     * answered requests; it does not count a stall against later requests (no coordinated-omission fix).
     */
    private Result heyPhase(String label, String url, int clients, int rate, int seconds, boolean report) throws Exception {
        token = bearer.get();
        List<String> command = new ArrayList<>(List.of("hey", "-z", seconds + "s", "-c", Integer.toString(clients),
                "-H", "Authorization: " + token));
        if (rate > 0) {
            command.add("-q");
            command.add(String.format(Locale.ROOT, "%.2f", rate / (double) clients));
        }
        command.add(url);
        long[] cpuBefore = {ProcessCpu.millis(servicePid), ProcessCpu.millis(keyServicePid), ProcessCpu.millis(ProcessCpu.mariadbPid())};
        Process hey = new ProcessBuilder(command).redirectErrorStream(true).start();
        long heyPid = hey.pid();
        long heyCpu = -1;
        String output;
        try (var in = hey.getInputStream()) {
            // Sample hey's CPU until just before it exits (its /proc entry goes with it).
            long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos() - 300_000_000L;
            while (System.nanoTime() < deadline) {
                LockSupport.parkNanos(100_000_000L);
                long now = ProcessCpu.millis(heyPid);
                if (now >= 0) {
                    heyCpu = now;
                }
            }
            output = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        hey.waitFor();
        long[] cpuAfter = {ProcessCpu.millis(servicePid), ProcessCpu.millis(keyServicePid), ProcessCpu.millis(ProcessCpu.mariadbPid())};
        double perSecond = number(output, "Requests/sec:\\s+([0-9.]+)");
        long ok = 0;
        long failed = 0;
        java.util.regex.Matcher codes = java.util.regex.Pattern.compile("\\[(\\d{3})\\]\\s+(\\d+) responses").matcher(output);
        while (codes.find()) {
            if (codes.group(1).startsWith("2")) {
                ok += Long.parseLong(codes.group(2));
            } else {
                failed += Long.parseLong(codes.group(2));
            }
        }
        failed += (long) number(output, "Error distribution:[\\s\\S]*?\\[(\\d+)\\]");
        long done = Math.max(1, ok + failed);
        String load = rate > 0 ? rate + "/s (" + clients + " workers)" : clients + " clients";
        String line = String.format(Locale.ROOT, "| %s | %s | %.0f | %.1f | %.1f | %.1f | %d | %s | %s | %s | %s |", label, load, perSecond,
                number(output, "50% in ([0-9.]+) secs") * 1000, number(output, "90% in ([0-9.]+) secs") * 1000,
                number(output, "99% in ([0-9.]+) secs") * 1000, failed,
                ProcessCpu.per(cpuBefore[0], cpuAfter[0], done, 1), ProcessCpu.per(cpuBefore[1], cpuAfter[1], done, 1),
                ProcessCpu.per(cpuBefore[2], cpuAfter[2], done, 1), ProcessCpu.per(0, heyCpu, done, 1));
        System.out.println(line);
        if (report) {
            rows.add(line);
        }
        return new Result(ok + failed, failed, seconds, new long[0]);
    }

    private static double number(String text, String regex) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** CPU time (user + system) of a process so far, from /proc (Linux); -1 when unknown. */



    private static String ms(double value) {
        return value > 1e9 ? "dropped" : String.format(Locale.ROOT, "%.1f", value);
    }

    private void exchange(HttpRequest request, AtomicLong errors) {
        try {
            HttpResponse<Void> answer = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() >= 300) {
                errors.incrementAndGet();
            }
        } catch (Exception e) {
            errors.incrementAndGet();
        }
    }

    /** The server's own view: data-key cache hits and misses. */
    private String metricsLine() {
        try {
            String metrics = send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/metrics")).GET().build()).body();
            StringBuilder line = new StringBuilder("server:");
            for (String row : metrics.split("\n")) {
                if (row.startsWith("strongroom_datakey_cache_hits_total") || row.startsWith("strongroom_datakey_cache_misses_total")
                        || row.startsWith("strongroom_secrets_reveal_seconds_count") || row.startsWith("strongroom_secrets_reveal_seconds_sum")) {
                    line.append("  ").append(row);
                }
            }
            return line.toString();
        } catch (Exception e) {
            return "server metrics unavailable: " + e;
        }
    }
}
