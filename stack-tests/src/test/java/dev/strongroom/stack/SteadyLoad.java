package dev.strongroom.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A steady mix of writes, reads and shares against a running stack, recording every request's outcome, so a
 * test can break something underneath and afterwards check what clients were told against what the system kept.
 *
 * <p>Three kinds of worker, each a thread looping until {@link #stop()}: a writer creates secrets with known values
 * and writes new versions of them (PUT value, at most {@link #VERSIONS_PER_SECRET} versions per secret so the default
 * retention of 10 prunes nothing); a reader reveals acknowledged versions and compares the value; a sharer creates a
 * one-view share of an acknowledged version and reveals it through the share link. Every request carries its own
 * {@code X-Request-Id}, which the services put into the request's audit event ({@code data.requestId}).
 *
 * <p>An outcome is {@link Result#ACKNOWLEDGED} (2xx with the id/version the client needs), {@link Result#FAILED}
 * (connection refused or reset, time-out, 5xx, 503 - the client does not know whether a write happened) or
 * {@link Result#WRONG} (a 2xx whose content disagrees with what was acknowledged before: always a bug).
 * {@link #verify} then checks what the system kept.
 */
final class SteadyLoad {

    static final int VERSIONS_PER_SECRET = 8;
    static final String ENVIRONMENT = "testing";

    enum Kind {
        CREATE("secret.created"), UPDATE("secret.updated"), READ("secret.read"), SHARE("share.created"), OPEN("share.opened"),
        LOGIN("user.login");

        /** The audit action an acknowledged request of this kind must leave. */
        final String auditAction;

        Kind(String auditAction) {
            this.auditAction = auditAction;
        }

        boolean write() {
            return this == CREATE || this == UPDATE;
        }
    }

    enum Result { ACKNOWLEDGED, FAILED, WRONG }

    /** One request: what was sent, what the client was told, and when (epoch millis). */
    record Outcome(Kind kind, Result result, int status, String requestId, String secretId, String name, int version,
            String value, long startedMillis, long endedMillis, String detail) {

        boolean acknowledged() {
            return result == Result.ACKNOWLEDGED;
        }
    }

    /** What {@link #verify} found. */
    record Verification(int secrets, int versionsChecked, int acknowledgedWritesReadable, int failedWritesAbsent,
            int failedWritesPresent, List<String> problems) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Function<String, String> url;
    private final String token;
    private static final java.util.Set<SteadyLoad> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Duration timeout;
    private final long pauseMillis;
    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    /** Acknowledged versions: secret id -> version -> value. */
    private final Map<String, Map<Integer, String>> acknowledged = new ConcurrentHashMap<>();
    /** Every value ever sent for a secret name (acknowledged or not): what any stored version may hold. */
    private final Map<String, Set<String>> attempted = new ConcurrentHashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private final List<String> crashed = new CopyOnWriteArrayList<>();
    private final String prefix = "load-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    private volatile boolean running;
    /** {username, password} of the account the login workers sign in as; null: no login workers. */
    private String[] loginAs;
    private int loginWorkers;

    /**
     * @param url a service name (auth-service, secrets-service, sharing-service) to its base URL
     * @param token an access token of a user who may create secrets
     * @param pauseMillis the pause between two requests of one worker
     */
    SteadyLoad(Function<String, String> url, String token, long pauseMillis) {
        this(url, token, pauseMillis, Duration.ofSeconds(5));
    }

    /** @param timeout how long one request may take before it counts as failed */
    SteadyLoad(Function<String, String> url, String token, long pauseMillis, Duration timeout) {
        this.url = url;
        this.token = token;
        this.timeout = timeout;
        this.pauseMillis = pauseMillis;
    }

    /** Stops every load still running (a test's clean-up after a failed assertion left its load on). */
    static void stopAll() throws InterruptedException {
        for (SteadyLoad load : List.copyOf(RUNNING)) {
            load.stop();
        }
    }

    /**
     * Adds {@code workers} login workers to the next {@link #start}: each signs in as {@code username} (auth-service)
     * and presents the new token to secrets-service, so a token the callee cannot verify counts as failed.
     */
    synchronized SteadyLoad withLogins(int workers, String username, String password) {
        loginWorkers = workers;
        loginAs = new String[] {username, password};
        return this;
    }

    /** Starts {@code writers} writers, {@code readers} readers and {@code sharers} sharers. */
    synchronized SteadyLoad start(int writers, int readers, int sharers) {
        running = true;
        RUNNING.add(this);
        for (int i = 0; i < loginWorkers; i++) {
            workers.add(Thread.ofPlatform().name("load-login-" + i).daemon().start(guarded(this::loginLoop)));
        }
        for (int i = 0; i < writers; i++) {
            workers.add(Thread.ofPlatform().name("load-writer-" + i).daemon().start(guarded(this::writeLoop)));
        }
        for (int i = 0; i < readers; i++) {
            workers.add(Thread.ofPlatform().name("load-reader-" + i).daemon().start(guarded(this::readLoop)));
        }
        for (int i = 0; i < sharers; i++) {
            workers.add(Thread.ofPlatform().name("load-sharer-" + i).daemon().start(guarded(this::shareLoop)));
        }
        return this;
    }

    /** A worker that died while the load was meant to run would make a fault look harmless. */
    private Runnable guarded(Runnable loop) {
        return () -> {
            try {
                loop.run();
            } catch (RuntimeException e) {
                crashed.add(Thread.currentThread().getName() + ": " + e);
            }
            if (running) {
                crashed.add(Thread.currentThread().getName() + " stopped before the load did");
            }
        };
    }

    /** Workers that ended before {@link #stop()}: must be empty for the outcomes to mean anything. */
    List<String> crashedWorkers() {
        return List.copyOf(crashed);
    }

    /** Stops the workers and waits for their last request to end. */
    synchronized void stop() throws InterruptedException {
        running = false;
        RUNNING.remove(this);
        for (Thread worker : workers) {
            worker.join(timeout.toMillis() * 3);
        }
        workers.clear();
    }

    List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** The outcomes of requests that started within [from, to) (epoch millis). */
    List<Outcome> outcomes(long from, long to) {
        return outcomes.stream().filter(o -> o.startedMillis() >= from && o.startedMillis() < to).toList();
    }

    static Map<String, Long> count(List<Outcome> outcomes, Predicate<Outcome> which) {
        Map<String, Long> counts = new LinkedHashMap<>();
        boolean logins = outcomes.stream().anyMatch(o -> o.kind() == Kind.LOGIN);
        for (Kind kind : Kind.values()) {
            if (kind == Kind.LOGIN && !logins) {
                continue; // login workers are optional (withLogins): counted only when there were some
            }
            counts.put(kind.name().toLowerCase(java.util.Locale.ROOT),
                    outcomes.stream().filter(o -> o.kind() == kind && which.test(o)).count());
        }
        return counts;
    }

    // ------------------------------------------------------------------ workers

    private void writeLoop() {
        String secretId = null;
        String name = null;
        int version = 0;
        while (running) {
            if (secretId == null || version >= VERSIONS_PER_SECRET) {
                name = prefix + UUID.randomUUID();
                String value = "v1-" + UUID.randomUUID();
                attempted.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet()).add(value);
                Call call = send("secrets-service", "POST", "/v1/secrets",
                        Map.of("name", name, "environment", ENVIRONMENT, "value", value));
                String id = call.ok(201) ? call.body.path("id").asText(null) : null;
                if (id != null) {
                    secretId = id;
                    version = call.body.path("currentVersion").asInt(1);
                    acknowledge(id, version, value);
                    record(call, Kind.CREATE, Result.ACKNOWLEDGED, id, name, version, value, null);
                } else {
                    record(call, Kind.CREATE, Result.FAILED, null, name, 0, value, call.describe());
                    secretId = null;
                }
            } else {
                String value = "v" + (version + 1) + "-" + UUID.randomUUID();
                attempted.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet()).add(value);
                Call call = send("secrets-service", "PUT", "/v1/secrets/" + secretId + "/value", Map.of("value", value));
                int written = call.ok(200) ? call.body.path("version").asInt(0) : 0;
                if (written > 0) {
                    acknowledge(secretId, written, value);
                    record(call, Kind.UPDATE, Result.ACKNOWLEDGED, secretId, name, written, value, null);
                    version = written;
                } else {
                    record(call, Kind.UPDATE, Result.FAILED, secretId, name, 0, value, call.describe());
                    // an unacknowledged version may exist: the next write learns the number from the answer
                    version++;
                }
            }
            pause();
        }
    }

    private void readLoop() {
        while (running) {
            Map.Entry<String, Map.Entry<Integer, String>> pick = anyAcknowledged();
            if (pick != null) {
                String id = pick.getKey();
                int version = pick.getValue().getKey();
                String expected = pick.getValue().getValue();
                Call call = send("secrets-service", "GET", "/v1/secrets/" + id + "/value?version=" + version, null);
                if (call.ok(200)) {
                    boolean same = expected.equals(call.body.path("value").asText()) && call.body.path("version").asInt() == version;
                    record(call, Kind.READ, same ? Result.ACKNOWLEDGED : Result.WRONG, id, null, version, expected,
                            same ? null : "revealed another value or version");
                } else {
                    record(call, Kind.READ, Result.FAILED, id, null, version, expected, call.describe());
                }
            }
            pause();
        }
    }

    private void shareLoop() {
        while (running) {
            Map.Entry<String, Map.Entry<Integer, String>> pick = anyAcknowledged();
            if (pick != null) {
                String id = pick.getKey();
                int version = pick.getValue().getKey();
                String expected = pick.getValue().getValue();
                Call created = send("sharing-service", "POST", "/v1/shares",
                        Map.of("secretId", id, "version", version, "maxViews", 1, "ttlSeconds", 600));
                String link = created.ok(201) ? created.body.path("url").asText(null) : null;
                if (link == null || !link.contains("/s/") || !link.contains("#")) {
                    record(created, Kind.SHARE, Result.FAILED, id, null, version, expected, created.describe());
                } else {
                    record(created, Kind.SHARE, Result.ACKNOWLEDGED, id, null, version, expected, null);
                    String tokenAndKey = link.substring(link.indexOf("/s/") + 3);
                    String shareToken = tokenAndKey.substring(0, tokenAndKey.indexOf('#'));
                    String key = tokenAndKey.substring(tokenAndKey.indexOf('#') + 1);
                    Call opened = send("sharing-service", "POST",
                            "/v1/shares/" + URLEncoder.encode(shareToken, StandardCharsets.UTF_8) + "/reveal", Map.of("key", key));
                    if (opened.ok(200)) {
                        boolean same = expected.equals(opened.body.path("value").asText());
                        record(opened, Kind.OPEN, same ? Result.ACKNOWLEDGED : Result.WRONG, id, null, version, expected,
                                same ? null : "the share revealed another value");
                    } else {
                        record(opened, Kind.OPEN, Result.FAILED, id, null, version, expected, opened.describe());
                    }
                }
            }
            pause();
        }
    }

    /** A login (the password hash makes it costly: a tenth of the other workers' pace) and a call with its token. */
    private void loginLoop() {
        while (running) {
            Call login = send("auth-service", "POST", "/v1/auth/login", Map.of("username", loginAs[0], "password", loginAs[1]), null);
            String issued = login.ok(200) ? login.body.path("accessToken").asText(null) : null;
            if (issued == null) {
                record(login, Kind.LOGIN, Result.FAILED, null, loginAs[0], 0, null, "login: " + login.describe());
            } else {
                Call used = send("secrets-service", "GET", "/v1/secrets?limit=1", null, issued);
                record(login, Kind.LOGIN, used.ok(200) ? Result.ACKNOWLEDGED : Result.FAILED, null, loginAs[0], 0, null,
                        used.ok(200) ? null : "the new token: " + used.describe());
            }
            for (int i = 0; i < 10 && running; i++) {
                pause();
            }
        }
    }

    /** Publishes an acknowledged version; a reader never sees a secret without one (compute runs before it publishes). */
    private void acknowledge(String id, int version, String value) {
        acknowledged.compute(id, (k, versions) -> {
            Map<Integer, String> all = versions == null ? new ConcurrentHashMap<>() : versions;
            all.put(version, value);
            return all;
        });
    }

    private Map.Entry<String, Map.Entry<Integer, String>> anyAcknowledged() {
        List<String> ids = new ArrayList<>(acknowledged.keySet());
        if (ids.isEmpty()) {
            return null;
        }
        String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
        List<Map.Entry<Integer, String>> versions = new ArrayList<>(acknowledged.get(id).entrySet());
        if (versions.isEmpty()) {
            return null;
        }
        return Map.entry(id, versions.get(ThreadLocalRandom.current().nextInt(versions.size())));
    }

    private void pause() {
        try {
            Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void record(Call call, Kind kind, Result result, String secretId, String name, int version, String value, String detail) {
        outcomes.add(new Outcome(kind, result, call.status, call.requestId, secretId, name, version, value,
                call.startedMillis, call.endedMillis, detail));
    }

    // ------------------------------------------------------------------ verification

    /**
     * After the load: every acknowledged write reads back with its exact value; every version any secret of the load
     * holds is readable and holds a value that was sent for it (nothing half-written, nothing invented); a create the
     * client saw fail is either absent or whole. Looks secrets up by name, so a create whose answer was lost is found.
     */
    Verification verify() throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        Map<String, String> idsByName = new HashMap<>();
        String cursor = null;
        do {
            Call page = send("secrets-service", "GET", "/v1/secrets?environment=" + ENVIRONMENT + "&q="
                    + URLEncoder.encode(prefix, StandardCharsets.UTF_8) + "&limit=500"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), null);
            if (!page.ok(200)) {
                throw new IOException("listing the load's secrets: " + page.describe());
            }
            for (JsonNode item : page.body.path("items")) {
                idsByName.put(item.path("name").asText(), item.path("id").asText());
            }
            cursor = page.body.path("nextCursor").isTextual() ? page.body.path("nextCursor").asText() : null;
        } while (cursor != null);

        int versionsChecked = 0;
        int acknowledgedReadable = 0;
        Set<String> acknowledgedIds = new HashSet<>(acknowledged.keySet());
        for (Map.Entry<String, String> secret : idsByName.entrySet()) {
            String name = secret.getKey();
            String id = secret.getValue();
            acknowledgedIds.remove(id);
            Set<String> sent = attempted.getOrDefault(name, Set.of());
            Call versions = send("secrets-service", "GET", "/v1/secrets/" + id + "/versions", null);
            if (!versions.ok(200)) {
                problems.add(name + ": versions not listed: " + versions.describe());
                continue;
            }
            List<Integer> numbers = new ArrayList<>();
            versions.body.path("items").forEach(v -> numbers.add(v.path("version").asInt()));
            if (numbers.isEmpty()) {
                problems.add(name + ": a secret without a version (half-written)");
            }
            Map<Integer, String> acked = acknowledged.getOrDefault(id, Map.of());
            for (int number : numbers) {
                Call value = send("secrets-service", "GET", "/v1/secrets/" + id + "/value?version=" + number, null);
                versionsChecked++;
                if (!value.ok(200)) {
                    problems.add(name + " v" + number + ": not readable (half-written?): " + value.describe());
                    continue;
                }
                String stored = value.body.path("value").asText();
                if (!sent.contains(stored)) {
                    problems.add(name + " v" + number + ": holds a value the load never sent");
                }
                if (acked.containsKey(number)) {
                    if (acked.get(number).equals(stored)) {
                        acknowledgedReadable++;
                    } else {
                        problems.add(name + " v" + number + ": holds another value than the acknowledged one");
                    }
                }
            }
            for (int number : acked.keySet()) {
                if (!numbers.contains(number)) {
                    problems.add(name + " v" + number + ": acknowledged, but gone");
                }
            }
        }
        for (String lost : acknowledgedIds) {
            problems.add("secret " + lost + ": acknowledged, but not found");
        }
        // failed creates: absent, or present and whole (checked above with every stored secret)
        int failedAbsent = 0;
        int failedPresent = 0;
        for (Outcome o : outcomes) {
            if (o.kind() == Kind.CREATE && o.result() == Result.FAILED) {
                if (idsByName.containsKey(o.name())) {
                    failedPresent++;
                } else {
                    failedAbsent++;
                }
            }
        }
        return new Verification(idsByName.size(), versionsChecked, acknowledgedReadable, failedAbsent, failedPresent,
                Collections.unmodifiableList(problems));
    }

    /** Acknowledged versions: secret id -> version -> value. */
    Map<String, Map<Integer, String>> acknowledgedVersions() {
        return Collections.unmodifiableMap(acknowledged);
    }

    // ------------------------------------------------------------------ HTTP

    private final class Call {
        int status;
        JsonNode body = JSON.missingNode();
        String requestId;
        String error;
        long startedMillis;
        long endedMillis;

        boolean ok(int expected) {
            return status == expected;
        }

        String describe() {
            if (error != null) {
                return error;
            }
            String type = body.path("type").asText("");
            return "HTTP " + status + (type.isEmpty() ? "" : " " + type.substring(type.lastIndexOf('/') + 1));
        }
    }

    private Call send(String service, String method, String path, Object json) {
        return send(service, method, path, json, token);
    }

    private Call send(String service, String method, String path, Object json, String bearer) {
        Call call = new Call();
        call.requestId = "load-" + UUID.randomUUID();
        call.startedMillis = System.currentTimeMillis();
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.apply(service) + path)).timeout(timeout)
                    .header("X-Request-Id", call.requestId);
            if (bearer != null) {
                request.header("Authorization", "Bearer " + bearer);
            }
            if (json != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(json)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            call.status = response.statusCode();
            try {
                call.body = response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body());
            } catch (IOException notJson) {
                call.body = JSON.missingNode();
            }
        } catch (java.net.http.HttpTimeoutException e) {
            call.error = "timed out";
        } catch (java.net.ConnectException e) {
            call.error = "connection refused";
        } catch (IOException e) {
            call.error = "connection failed (" + e.getClass().getSimpleName() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.error = "interrupted";
        }
        call.endedMillis = System.currentTimeMillis();
        return call;
    }
}
