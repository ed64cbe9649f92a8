package dev.strongroom.secrets.bench;

import dev.strongroom.testing.KafkaBroker;
import dev.strongroom.testing.KeyServiceTestResource;
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
 * {@code --token} (e.g. from auth-service's login).
 *
 * <pre>
 *   ./mvnw -pl secrets-service -Pbench package exec:exec [-Dbench.args="--duration 20 --concurrency 32"]
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
        try {
            if (options.containsKey("url")) {
                baseUrl = options.get("url");
                String token = options.get("token");
                bearer = () -> "Bearer " + token;
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
            if (options.containsKey("hold")) {
                System.out.printf("holding for %s s: %s, e.g. curl -H 'Authorization: %s' %s/v1/secrets/%s/value%n",
                        options.get("hold"), baseUrl, bearer.get(), baseUrl, ids.get(0));
                Thread.sleep(Long.parseLong(options.get("hold")) * 1000);
                return;
            }
            phase("warm-up reveal (not reported)", duration, concurrency, 0, i -> reveal(ids, i), false);
            Result max = phase("reveal, closed loop", duration, concurrency, 0, i -> reveal(ids, i), true);
            int half = Math.max(1, (int) (max.perSecond() / 2));
            phase("reveal, open loop at half the max rate (" + half + "/s)", duration, 0, half, i -> reveal(ids, i), true);
            int target = option("rate", 2000);
            if (Math.abs(target - half) > half / 10) {
                phase("reveal, open loop at " + target + "/s", duration, 0, target, i -> reveal(ids, i), true);
            }
            String prefix = "bench-create-" + UUID.randomUUID().toString().substring(0, 6);
            phase("create", duration, Math.min(concurrency, 16), 0, i -> create(prefix + "/s" + i), true);
            phase("list, 100 per page", duration, concurrency, 0, i -> get("/v1/secrets?limit=100&q=bench-setup"), true);
            System.out.println();
            System.out.println("| operation | clients / rate | requests/s | p50 ms | p90 ms | p99 ms | errors |");
            System.out.println("|---|---|---|---|---|---|---|");
            rows.forEach(System.out::println);
            System.out.println();
            System.out.println(metricsLine());
        } finally {
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).close();
            }
        }
    }

    private void startServices(List<AutoCloseable> started) {
        KafkaBroker broker = KafkaBroker.shared();
        KeyServiceTestResource keys = new KeyServiceTestResource();
        keys.init(Map.of("token-property", "strongroom.secrets.kms.token",
                "jvm-options", options.getOrDefault("key-service-jvm", "-Xms128m -Xmx256m")));
        Map<String, String> properties = new HashMap<>(keys.start());
        started.add(keys::stop);
        TestDatabase database = TestDatabase.create("bench");
        started.add(database::drop);
        properties.putAll(database.quarkusConfig());
        properties.put("strongroom.kafka.bootstrap", broker.bootstrapServers());
        properties.put("strongroom.auth.jwks-url", TestTokens.jwksFile().toUri().toString());
        properties.put("strongroom.auth.issuer", TestTokens.ISSUER);
        properties.put("strongroom.auth.audience", TestTokens.AUDIENCE);
        properties.put("quarkus.log.level", "WARN");
        List<String> jvm = List.of(options.getOrDefault("secrets-service-jvm", "-Xms256m -Xmx512m").split("\\s+"));
        ServiceProcess secrets = ServiceProcess.start("secrets-service", properties, jvm, Duration.ofSeconds(180));
        started.add(secrets);
        baseUrl = secrets.baseUrl();
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
            CountDownLatch done = new CountDownLatch((int) total);
            for (long i = 0; i < total; i++) {
                long intended = start + i * interval;
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                long index = i;
                outstanding.incrementAndGet();
                Thread.ofVirtual().start(() -> {
                    exchange(requests.nth(index), errors);
                    latencies[(int) index] = System.nanoTime() - intended;
                    outstanding.decrementAndGet();
                    done.countDown();
                });
            }
            done.await();
            counter.set(total);
            samples.add(latencies);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] all = samples.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        Result result = new Result(counter.get(), errors.get(), elapsed, all);
        String load = clients > 0 ? clients + " clients" : rate + "/s";
        String line = String.format(Locale.ROOT, "| %s | %s | %.0f | %.1f | %.1f | %.1f | %d |", label, load, result.perSecond(),
                result.percentile(50), result.percentile(90), result.percentile(99), result.errors());
        System.out.println(line);
        if (report) {
            rows.add(line);
        }
        return result;
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
