package dev.strongroom.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.stack.RawHttp.Answer;
import dev.strongroom.stack.RawHttp.Header;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Strongroom's own seeded fuzzer over the started stack (issue 15, item 9). It reads each service's OpenAPI
 * document from {@code /q/openapi}, then drives every operation with generated requests: bodies valid for the
 * schema and broken ones (invalid JSON, wrong types, missing fields, huge and deeply nested values), odd or
 * missing content types and charsets (a huge {@code charset=utf-16} body among them), path parameters such as
 * {@code .}, {@code ..} and bad percent-escapes, query parameters of the wrong type, with and without a valid token.
 *
 * <p>Checks: no answer is 5xx (bar {@link #ALLOWED_5XX}), every request gets an HTTP answer, every 4xx/5xx is
 * {@code application/problem+json} with type, title and status (bar {@link #notProblemJsonOnPurpose}), and the
 * refused phase (no valid token, only bodies no endpoint accepts) leaves every service's tables as they were.
 *
 * <p>The seed is printed; {@code -Dstrongroom.fuzz.seed=<n>} replays the same requests,
 * {@code -Dstrongroom.fuzz.requests=<n>} changes their number (default 2000).
 */
final class FuzzChecks {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int THREADS = 4;

    /**
     * The one 5xx answer that is correct, by problem type: auth-service's documented 503 {@code not-configured}
     * for a feature the operator has not configured (Kubernetes login without a cluster issuer, docs/kubernetes.md).
     * LocalStackIT configures a cluster issuer, so there it does not appear; a stack started without one answers it.
     */
    private static final Set<String> ALLOWED_5XX = Set.of("https://strongroom.dev/problems/not-configured");
    /** quarkus.http.limits.max-initial-line-length (Quarkus' default): a longer request line is refused by the codec. */
    private static final int MAX_REQUEST_LINE = 4096;

    /**
     * Tables that change when a request is refused, on purpose, and so are left out of the refused phase's
     * before/after comparison. Every other table of every service must be byte-for-byte the same.
     */
    private static final Map<String, String> CHANGE_ON_REFUSAL = Map.of(
            // each service's transactional outbox: a failed login or a refused token grant is an audit event
            // (user.login_failed and the like), written in the transaction that refuses
            "*.audit_outbox", "audit events of refusals (failed logins) are written, then relayed",
            // audit-service stores those events in its chain ...
            "audit.audit_record", "the audit log itself receives the refusals' events",
            // ... counts them for the brute-force and denied-access alert rules ...
            "audit.alert_window", "alert rules count failed logins per window",
            "audit.alert_state", "an alert raised by those counts",
            // ... and forwards them to Splunk
            "audit.hec_position", "forwarding position to Splunk advances over those events",
            "audit.hec_dead_letter", "events Splunk refused (none expected, but forwarding owns it)");

    private final Map<String, String> urls;
    private final String[] admin;
    private final String databasePrefix;
    private final long seed;
    private final int total;
    private final Random random;
    private final List<Operation> operations = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();
    private final Map<String, Integer> perService = new TreeMap<>();
    private final Map<Integer, Integer> statuses = new TreeMap<>();
    /** Real resources made before the authenticated phase, so some requests get past the 404s. */
    private final Map<String, List<String>> known = new LinkedHashMap<>();
    private String adminToken;
    private String userToken;
    private String[] sessionUser;

    /** The fuzzer against the stack the stack test started. */
    FuzzChecks(LocalStack stack) throws java.io.IOException {
        this(LocalStack.SERVICES.stream().collect(java.util.stream.Collectors.toMap(s -> s, stack::url)), stack.admin(), stack.databasePrefix());
    }

    /** The fuzzer against any started stack: each service's base URL, the admin's {name, password}, the database prefix. */
    FuzzChecks(Map<String, String> urls, String[] admin, String databasePrefix) {
        this.urls = Map.copyOf(urls);
        this.admin = admin.clone();
        this.databasePrefix = databasePrefix;
        this.seed = Long.getLong("strongroom.fuzz.seed", new Random().nextLong());
        this.total = Integer.getInteger("strongroom.fuzz.requests", 2000);
        this.random = new Random(seed);
    }

    /** One operation of a service's OpenAPI document. */
    record Operation(String service, String method, String path, List<Param> pathParams, List<Param> queryParams,
            List<String> consumes, JsonNode bodySchema, boolean bodyRequired, JsonNode components) {

        String key() {
            return method + " " + path;
        }
    }

    record Param(String name, JsonNode schema) {}

    /** A request ready to send, with what the fuzzer meant by it. */
    record Probe(int index, Operation operation, RawHttp.Request request, String variant, boolean refused) {

        String describe() {
            String contentType = request.headers().stream().filter(h -> h.name().equalsIgnoreCase("Content-Type"))
                    .map(Header::value).findFirst().orElse("(none)");
            int length = request.body() == null ? 0 : request.body().length;
            String target = request.target().length() > 160 ? request.target().substring(0, 160) + "…" : request.target();
            return "#" + index + " " + operation.service() + " " + request.method() + " " + target + " [" + variant
                    + ", Content-Type " + contentType + ", " + length + " bytes]";
        }
    }

    record Finding(String kind, Probe probe, String detail) {

        @Override
        public String toString() {
            return kind + ": " + probe.describe() + " -> " + detail;
        }
    }

    // --- the run ----------------------------------------------------------------------------------------------

    void everyOperationSurvivesTheFuzzer() throws Exception {
        long started = System.nanoTime();
        System.out.println("[fuzz] seed " + seed + " (replay: -Dstrongroom.fuzz.seed=" + seed + "), " + total + " requests");
        readOpenApiDocuments();
        assertThat(operations).as("operations in the services' OpenAPI documents").hasSizeGreaterThan(40);
        adminToken = adminToken();
        userToken = userToken();

        // Phase 1: requests that must all be refused leave the databases as they were.
        int refusedCount = total * 2 / 5;
        List<Probe> refused = new ArrayList<>();
        for (int i = 0; i < refusedCount; i++) {
            refused.add(refusedProbe(i, operations.get(i % operations.size())));
        }
        Map<String, String> before = checksums();
        List<Answer> refusedAnswers = send(refused);
        Map<String, String> after = checksums();
        for (int i = 0; i < refused.size(); i++) {
            Probe probe = refused.get(i);
            Answer answer = refusedAnswers.get(i);
            if (!answer.dropped() && answer.status() < 400 && !readOnlyPublic(probe.operation())) {
                findings.add(new Finding("not refused", probe, "HTTP " + answer.status()));
            }
        }
        Map<String, String> changed = new TreeMap<>();
        before.forEach((table, sum) -> {
            if (!sum.equals(after.get(table))) {
                changed.put(table, sum + " -> " + after.get(table));
            }
        });

        // Phase 2: with valid tokens, generated and mutated bodies, reaching the resources.
        makeKnownResources();
        List<Probe> authenticated = new ArrayList<>();
        for (int i = refusedCount; i < total; i++) {
            int n = i - refusedCount;
            Operation operation = n < operations.size() * 4 ? operations.get(n % operations.size()) : pick(operations);
            authenticated.add(authenticatedProbe(i, operation));
        }
        send(authenticated);

        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("[fuzz] %d requests in %.1f s, seed %d%n", total, seconds, seed);
        System.out.println("[fuzz] requests per service: " + perService);
        System.out.println("[fuzz] statuses: " + statuses);
        System.out.println("[fuzz] operations: " + operations.size() + ", findings: " + findings.size());
        findings.stream().limit(60).forEach(f -> System.out.println("[fuzz] " + f));

        assertThat(changed).as("tables changed by requests that were all refused (seed " + seed + ")").isEmpty();
        assertThat(findings).as("fuzzer findings (seed " + seed + ")").isEmpty();
        assertThat(perService.keySet()).containsExactlyInAnyOrderElementsOf(LocalStack.SERVICES);
    }

    private List<Answer> send(List<Probe> probes) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Answer>> futures = new ArrayList<>();
            for (Probe probe : probes) {
                futures.add(pool.submit(() -> RawHttp.exchange(URI.create(url(probe.operation().service())), probe.request(), TIMEOUT)));
            }
            List<Answer> answers = new ArrayList<>();
            for (int i = 0; i < probes.size(); i++) {
                Answer answer = futures.get(i).get();
                answers.add(answer);
                judge(probes.get(i), answer);
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private synchronized void judge(Probe probe, Answer answer) {
        perService.merge(probe.operation().service(), 1, Integer::sum);
        statuses.merge(answer.status(), 1, Integer::sum);
        if (answer.dropped()) {
            findings.add(new Finding("no answer", probe, answer.failure()));
            return;
        }
        if (answer.status() >= 500 && !ALLOWED_5XX.contains(problemType(answer))) {
            findings.add(new Finding("5xx", probe, answer.status() + " " + snippet(answer)));
        }
        if (answer.status() >= 400 && !notProblemJsonOnPurpose(probe, answer) && !refusedBeforeTheApplication(probe, answer)) {
            String why = notProblemJson(answer);
            if (why != null) {
                findings.add(new Finding("not problem+json", probe, answer.status() + " " + why + ": " + snippet(answer)));
            }
        }
    }

    /**
     * Error answers that are not problem+json by contract: the OAuth2 token endpoint answers its own refusals
     * in RFC 6749 §5.2's {@code {"error", "error_description"}} JSON, which OAuth2 client libraries parse.
     * Refusals before the endpoint runs (413, 415, an unreadable form) are still problem+json.
     */
    private static boolean notProblemJsonOnPurpose(Probe probe, Answer answer) {
        if (probe.operation().path().equals("/v1/auth/token") && (answer.status() == 400 || answer.status() == 401)) {
            String type = answer.header("Content-Type");
            if (type != null && type.startsWith("application/json")) {
                try {
                    return JSON.readTree(answer.body()).hasNonNull("error");
                } catch (Exception e) {
                    return false;
                }
            }
        }
        return false;
    }

    /**
     * Refusals that happen before any of our code can run, so they cannot be problem+json (docs/security.md): a
     * request line longer than {@link #MAX_REQUEST_LINE} gets 414 from the HTTP codec, and a target that
     * {@link URI} cannot parse (a bad percent-escape) gets 400 from Quarkus' entry handler, both with an empty
     * body. Only these exact cases pass; the same statuses for any other request must be problem+json.
     */
    private static boolean refusedBeforeTheApplication(Probe probe, Answer answer) {
        if (answer.body().length != 0) {
            return false;
        }
        String requestLine = probe.request().method() + " " + probe.request().target() + " HTTP/1.1";
        if (answer.status() == 414) {
            return requestLine.length() > MAX_REQUEST_LINE;
        }
        if (answer.status() == 400) {
            try {
                new URI(probe.request().target());
                return false;
            } catch (java.net.URISyntaxException e) {
                return true;
            }
        }
        return false;
    }

    /** Why an error answer is not a proper problem, or null when it is. */
    private static String notProblemJson(Answer answer) {
        String type = answer.header("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/problem+json")) {
            return "Content-Type " + type;
        }
        try {
            JsonNode problem = JSON.readTree(answer.body());
            if (problem == null || !problem.path("type").isTextual() || !problem.path("title").isTextual()
                    || problem.path("status").asInt() != answer.status()) {
                return "missing type/title/status";
            }
        } catch (Exception e) {
            return "unreadable body";
        }
        return null;
    }

    private static String problemType(Answer answer) {
        try {
            return JSON.readTree(answer.body()).path("type").asText();
        } catch (Exception e) {
            return "";
        }
    }

    private static String snippet(Answer answer) {
        String body = answer.bodyText().replaceAll("\\s+", " ");
        return "Content-Type " + answer.header("Content-Type") + ", body " + (body.length() > 200 ? body.substring(0, 200) + "…" : body);
    }

    // --- the OpenAPI documents ----------------------------------------------------------------------------------

    private void readOpenApiDocuments() throws Exception {
        for (String service : LocalStack.SERVICES) {
            Answer answer = RawHttp.exchange(URI.create(url(service)),
                    new RawHttp.Request("GET", "/q/openapi?format=json", List.of(new Header("Accept", "application/json")), null), TIMEOUT);
            assertThat(answer.status()).as(service + " /q/openapi").isEqualTo(200);
            JsonNode document = JSON.readTree(answer.body());
            JsonNode components = document.path("components");
            Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
            while (paths.hasNext()) {
                Map.Entry<String, JsonNode> path = paths.next();
                Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields();
                while (methods.hasNext()) {
                    Map.Entry<String, JsonNode> method = methods.next();
                    if (!Set.of("get", "post", "put", "patch", "delete").contains(method.getKey())) {
                        continue;
                    }
                    JsonNode op = method.getValue();
                    List<Param> pathParams = new ArrayList<>();
                    List<Param> queryParams = new ArrayList<>();
                    List<JsonNode> parameters = new ArrayList<>();
                    path.getValue().path("parameters").forEach(parameters::add);
                    op.path("parameters").forEach(parameters::add);
                    for (JsonNode parameter : parameters) {
                        Param param = new Param(parameter.path("name").asText(), parameter.path("schema"));
                        switch (parameter.path("in").asText()) {
                            case "path" -> pathParams.add(param);
                            case "query" -> queryParams.add(param);
                            default -> { }
                        }
                    }
                    List<String> consumes = new ArrayList<>();
                    JsonNode bodySchema = null;
                    JsonNode content = op.path("requestBody").path("content");
                    Iterator<Map.Entry<String, JsonNode>> types = content.fields();
                    while (types.hasNext()) {
                        Map.Entry<String, JsonNode> type = types.next();
                        consumes.add(type.getKey());
                        if (bodySchema == null) {
                            bodySchema = type.getValue().path("schema");
                        }
                    }
                    operations.add(new Operation(service, method.getKey().toUpperCase(java.util.Locale.ROOT), path.getKey(),
                            pathParams, queryParams, consumes, bodySchema, op.path("requestBody").path("required").asBoolean(),
                            components));
                }
            }
        }
    }

    /** Public GETs that read and answer 200 without a token: the JWKS, issuer metadata and the share page. */
    private static boolean readOnlyPublic(Operation operation) {
        return operation.method().equals("GET") && (operation.path().equals("/v1/auth/jwks")
                || operation.path().startsWith("/.well-known/") || operation.path().startsWith("/s/"));
    }

    // --- the probes -------------------------------------------------------------------------------------------

    /** No valid token and a body no endpoint accepts: every write must be refused. */
    private Probe refusedProbe(int index, Operation operation) {
        List<Header> headers = new ArrayList<>();
        String tokenVariant = switch (random.nextInt(4)) {
            case 0 -> "no token";
            case 1 -> {
                headers.add(new Header("Authorization", "Bearer " + randomToken()));
                yield "garbage token";
            }
            case 2 -> {
                headers.add(new Header("Authorization", "Bearer " + tampered(adminToken)));
                yield "tampered token";
            }
            default -> {
                headers.add(new Header("Authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString(("client:" + randomWord(8)).getBytes(StandardCharsets.UTF_8))));
                yield "basic credentials";
            }
        };
        String target = target(operation, false);
        byte[] body = null;
        String bodyVariant = "no body";
        if (!operation.method().equals("GET")) {
            String[] chosen = new String[1];
            body = refusedBody(operation, chosen);
            bodyVariant = chosen[0];
            headers.add(new Header("Content-Type", jsonContentType(operation, body)));
        }
        return new Probe(index, operation, new RawHttp.Request(operation.method(), target, headers, body),
                tokenVariant + ", " + bodyVariant, true);
    }

    /**
     * Bodies that no endpoint may accept: a field given an object or array where a scalar belongs is never
     * coerced by Jackson, and the others are not JSON, not an object, too deep or too big.
     */
    private byte[] refusedBody(Operation operation, String[] chosen) {
        switch (random.nextInt(7)) {
            case 0 -> {
                chosen[0] = "truncated JSON";
                String json = generate(operation.bodySchema(), operation.components(), 0).toString();
                return json.substring(0, Math.max(1, json.length() / 2)).getBytes(StandardCharsets.UTF_8);
            }
            case 1 -> {
                chosen[0] = "not JSON";
                return pick(List.of("<xml/>", "grant_type=client_credentials&client_id=", "\u0000\u0001\u0002", "}{", "'single'"))
                        .getBytes(StandardCharsets.UTF_8);
            }
            case 2 -> {
                chosen[0] = "every field an array";
                JsonNode instance = generate(operation.bodySchema(), operation.components(), 0);
                if (instance instanceof ObjectNode object && object.size() > 0) {
                    object.fieldNames().forEachRemaining(name -> object.set(name, NODES.arrayNode().add(NODES.objectNode())));
                    return object.toString().getBytes(StandardCharsets.UTF_8);
                }
                return "[[[]]]".getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> {
                chosen[0] = "nested 5000 deep";
                return nested(5000).getBytes(StandardCharsets.UTF_8);
            }
            case 4 -> {
                chosen[0] = "huge invalid (1 MB)";
                return ("{\"x\":\"" + "A".repeat(1_000_000)).getBytes(StandardCharsets.UTF_8);
            }
            case 5 -> {
                chosen[0] = "top-level array";
                return ("[" + generate(operation.bodySchema(), operation.components(), 0) + "]").getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                chosen[0] = "top-level number";
                return "1e999999".getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    private Probe authenticatedProbe(int index, Operation operation) {
        List<Header> headers = new ArrayList<>();
        // Logging out ends a session: each logout gets a session of its own. Changing the password and MFA
        // check the caller's password and count failures towards a lockout: never the admin's.
        String path = operation.path();
        String token = path.equals("/v1/auth/logout") ? freshSession()
                : path.startsWith("/v1/auth/password") || path.startsWith("/v1/auth/mfa") || random.nextInt(4) == 0 ? userToken
                : adminToken;
        String variant = token == adminToken ? "admin token" : "user token";
        headers.add(new Header("Authorization", "Bearer " + token));
        boolean junkPath = random.nextInt(5) == 0;
        String target = target(operation, junkPath);
        if (junkPath) {
            variant += ", odd path";
        }
        if (random.nextInt(6) == 0) {
            headers.add(new Header("Accept", pick(List.of("application/xml", "text/html", "*/*", "application/problem+json", "image/png;q=0.1"))));
        }
        byte[] body = null;
        if (!operation.method().equals("GET") && (operation.bodySchema() != null || random.nextInt(3) == 0)) {
            String[] chosen = new String[1];
            body = mutatedBody(operation, chosen);
            variant += ", " + chosen[0];
            String contentType = contentType(operation, body, chosen);
            variant += ", " + chosen[0];
            if (contentType != null) {
                headers.add(new Header("Content-Type", contentType));
            }
            if (chosen[0].equals("utf-16 charset")) {
                body = new String(body, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16);
            }
            if (random.nextInt(150) == 0) {
                // over every service's max-body-size (10 MiB by default, 512 KiB in secrets-service)
                variant += ", over the body limit";
                body = java.util.Arrays.copyOf(body, 11 * 1024 * 1024);
            }
        } else if (!operation.method().equals("GET") && random.nextBoolean()) {
            headers.add(new Header("Content-Type", "application/json"));
        }
        return new Probe(index, operation, new RawHttp.Request(operation.method(), target, headers, body), variant, false);
    }

    private byte[] mutatedBody(Operation operation, String[] chosen) {
        JsonNode instance = generate(operation.bodySchema(), operation.components(), 0);
        String json;
        switch (random.nextInt(12)) {
            case 0, 1, 2 -> {
                chosen[0] = "schema-valid body";
                json = instance.toString();
            }
            case 3 -> {
                chosen[0] = "a field of the wrong type";
                json = mutateField(instance, () -> pick(List.of(NODES.numberNode(random.nextLong()), NODES.booleanNode(true),
                        NODES.textNode(randomWord(5)), NODES.arrayNode().add(1), NODES.objectNode().put("a", 1), NODES.nullNode()))).toString();
            }
            case 4 -> {
                chosen[0] = "a huge string field";
                json = mutateField(instance, () -> NODES.textNode("\u00e9" + "x".repeat(pick(List.of(70_000, 300_000, 600_000))))).toString();
            }
            case 5 -> {
                chosen[0] = "a deeply nested field";
                String marker = "\"__nested__\"";
                json = mutateField(instance, () -> NODES.textNode("__nested__")).toString()
                        .replace(marker, nested(pick(List.of(600, 1200, 20_000))));
            }
            case 6 -> {
                chosen[0] = "empty object";
                json = "{}";
            }
            case 7 -> {
                chosen[0] = "null body";
                json = "null";
            }
            case 8 -> {
                chosen[0] = "huge numbers";
                json = mutateField(instance, () -> NODES.textNode("__n__")).toString()
                        .replace("\"__n__\"", pick(List.of("99999999999999999999999999", "-1", "1e400", "0.5", "-9223372036854775809")));
            }
            case 9 -> {
                chosen[0] = "many extra fields";
                ObjectNode extra = instance instanceof ObjectNode object ? object : NODES.objectNode();
                for (int i = 0; i < 2000; i++) {
                    extra.put("extra" + i, i);
                }
                json = extra.toString();
            }
            case 10 -> {
                chosen[0] = "invalid JSON";
                json = pick(List.of("{", "{\"a\":}", "[1,2", "{'a':1}", "\u0000", "{\"a\":1}}", "\"unterminated"));
            }
            default -> {
                chosen[0] = "odd strings";
                json = mutateField(instance, () -> NODES.textNode(pick(List.of("", " ", "../../etc/passwd", "%00", "\u0000",
                        "' OR '1'='1", "\ud800", "\u202e\u0645", "${jndi:ldap://x}", "a".repeat(300))))).toString();
            }
        }
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** The Content-Type to send: mostly the declared one, sometimes odd, wrong, duplicated or missing. */
    private String contentType(Operation operation, byte[] body, String[] chosen) {
        String declared = operation.consumes().isEmpty() ? "application/json" : operation.consumes().get(0);
        switch (random.nextInt(14)) {
            case 0 -> {
                chosen[0] = "no content type";
                return null;
            }
            case 1 -> {
                chosen[0] = "utf-16 charset";
                return declared + "; charset=utf-16";
            }
            case 2 -> {
                chosen[0] = "utf-16 declared, utf-8 sent";
                return declared + "; charset=UTF-16LE";
            }
            case 3 -> {
                chosen[0] = "unknown charset";
                return declared + "; charset=" + pick(List.of("klingon", "x-unknown", "\"", "utf-32", "ibm037"));
            }
            case 4 -> {
                chosen[0] = "other media type";
                return pick(List.of("text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data",
                        "multipart/form-data; boundary=", "application/octet-stream", "application/*", "*/*"));
            }
            case 5 -> {
                chosen[0] = "malformed media type";
                return pick(List.of("", ";", "application/json;;;", "application/", "/json", "application/json; charset",
                        "application/json, text/plain", "\u00e9/\u00e9"));
            }
            default -> {
                chosen[0] = "declared type";
                return declared;
            }
        }
    }

    private String jsonContentType(Operation operation, byte[] body) {
        String declared = operation.consumes().isEmpty() ? "application/json" : operation.consumes().get(0);
        return random.nextInt(5) == 0 ? declared + "; charset=utf-16" : declared;
    }

    /** The path with its parameters filled: plausible values, known resources, or junk. */
    private String target(Operation operation, boolean junk) {
        String path = operation.path();
        for (Param param : operation.pathParams()) {
            String value = junk ? junkSegment() : pathValue(operation, param);
            path = path.replace("{" + param.name() + "}", value);
        }
        // a parameter the document does not declare: filled with a known value of that name, or a random word
        java.util.regex.Matcher undeclared = java.util.regex.Pattern.compile("\\{([^}/]+)}").matcher(path);
        StringBuilder filled = new StringBuilder();
        while (undeclared.find()) {
            List<String> values = known.getOrDefault(operation.service() + ":" + undeclared.group(1), List.of(randomWord(8)));
            undeclared.appendReplacement(filled, java.util.regex.Matcher.quoteReplacement(junk ? junkSegment() : pick(values)));
        }
        path = undeclared.appendTail(filled).toString();
        if (junk && random.nextInt(10) == 0) {
            path = pick(List.of("*", path.substring(1)));
        }
        StringBuilder query = new StringBuilder();
        for (Param param : operation.queryParams()) {
            if (random.nextInt(3) == 0) {
                continue;
            }
            query.append(query.isEmpty() ? '?' : '&').append(encode(param.name())).append('=').append(queryValue(param));
        }
        if (random.nextInt(20) == 0) {
            query.append(query.isEmpty() ? '?' : '&').append(pick(List.of("%zz=1", "a=%", "=&&=", "limit=1&limit=2", "x[]=1&x[0][a]=2")));
        }
        return path + query;
    }

    private String pathValue(Operation operation, Param param) {
        List<String> values = known.getOrDefault(operation.service() + ":" + param.name(), List.of());
        if (!values.isEmpty() && random.nextInt(3) > 0) {
            return encode(pick(values));
        }
        JsonNode value = generate(param.schema(), operation.components(), 0);
        String text = value.isTextual() ? value.asText() : value.toString();
        if (param.name().toLowerCase(java.util.Locale.ROOT).contains("id") && random.nextBoolean()) {
            text = UUID.randomUUID().toString();
        }
        return encode(text);
    }

    private String junkSegment() {
        return pick(List.of(".", "..", "%2e", "%2e%2e", "%2F", "..%2F..%2Fetc%2Fpasswd", "%00", "%zz", "%", "%C3%A9", "%FF%FE",
                "%20", "a;b=c", "~", "*", "a".repeat(5000), "%E2%80%AE", "0", "-1", "99999999999999999999", "null",
                "%7B%7D", "'%20OR%201=1--", "%0d%0aSet-Cookie:x"));
    }

    private String queryValue(Param param) {
        return switch (random.nextInt(6)) {
            case 0 -> pick(List.of("abc", "-1", "0", "1.5", "99999999999999999999", "true", "", "%zz", "null"));
            case 1 -> "x".repeat(pick(List.of(300, 5000)));
            case 2 -> encode(pick(List.of("' OR 1=1--", "\u00e9", "k:v", ":", "a:b:c", "../", "\u0000")));
            default -> {
                JsonNode value = generate(param.schema(), null, 0);
                yield encode(value.isTextual() ? value.asText() : value.toString());
            }
        };
    }

    // --- JSON instances from the schemas -----------------------------------------------------------------------

    /** A value that fits the schema (as far as the document says); a plain object when there is no schema. */
    private JsonNode generate(JsonNode schema, JsonNode components, int depth) {
        if (schema == null || schema.isMissingNode() || depth > 6) {
            return NODES.objectNode().put("name", randomWord(6));
        }
        if (schema.has("$ref") && components != null) {
            String name = schema.path("$ref").asText().replace("#/components/schemas/", "");
            return generate(components.path("schemas").path(name), components, depth + 1);
        }
        for (String combinator : List.of("allOf", "oneOf", "anyOf")) {
            if (schema.path(combinator).isArray() && !schema.path(combinator).isEmpty()) {
                return generate(schema.path(combinator).get(0), components, depth + 1);
            }
        }
        if (schema.has("enum") && schema.path("enum").isArray() && !schema.path("enum").isEmpty()) {
            return schema.path("enum").get(random.nextInt(schema.path("enum").size()));
        }
        String type = schema.path("type").isArray() ? schema.path("type").get(0).asText() : schema.path("type").asText("object");
        return switch (type) {
            case "string" -> NODES.textNode(stringFor(schema));
            case "integer" -> NODES.numberNode(schema.has("minimum") ? schema.path("minimum").asLong() + random.nextInt(3) : random.nextInt(100));
            case "number" -> NODES.numberNode(random.nextDouble() * 100);
            case "boolean" -> NODES.booleanNode(random.nextBoolean());
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = 0; i < 1 + random.nextInt(2); i++) {
                    array.add(generate(schema.path("items"), components, depth + 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
                while (properties.hasNext()) {
                    Map.Entry<String, JsonNode> property = properties.next();
                    object.set(property.getKey(), generate(property.getValue(), components, depth + 1));
                }
                if (schema.path("additionalProperties").isObject()) {
                    object.set(randomWord(4), generate(schema.path("additionalProperties"), components, depth + 1));
                }
                yield object;
            }
        };
    }

    private String stringFor(JsonNode schema) {
        String format = schema.path("format").asText();
        return switch (format) {
            case "uuid" -> UUID.randomUUID().toString();
            case "date-time" -> java.time.Instant.now().plusSeconds(random.nextInt(86_400 * 30)).toString();
            case "byte" -> java.util.Base64.getEncoder().encodeToString(randomWord(12).getBytes(StandardCharsets.UTF_8));
            default -> {
                int min = schema.path("minLength").asInt(1);
                int max = schema.path("maxLength").asInt(Math.max(min, 16));
                yield randomWord(Math.max(min, Math.min(max, 3 + random.nextInt(12))));
            }
        };
    }

    /** Replaces one field of the instance (at the top level or one level down) with what the supplier gives. */
    private JsonNode mutateField(JsonNode instance, Supplier<JsonNode> replacement) {
        if (!(instance instanceof ObjectNode object) || object.isEmpty()) {
            return replacement.get();
        }
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        String name = pick(names);
        if (object.get(name) instanceof ObjectNode inner && !inner.isEmpty() && random.nextBoolean()) {
            mutateField(inner, replacement);
        } else {
            object.set(name, replacement.get());
        }
        return object;
    }

    private static String nested(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    // --- tokens, resources, databases ---------------------------------------------------------------------------

    private String adminToken() throws Exception {
        return login(admin[0], admin[1]);
    }

    /** An ordinary user of the fuzzer's own, and a second one whose sessions the logouts end. */
    private String userToken() throws Exception {
        userToken = login(register());
        sessionUser = register();
        return userToken;
    }

    private String[] register() throws Exception {
        // not from the seeded random: a replay of a seed on the same stack must not find its names taken
        String name = "fuzz-" + Long.toHexString(seed & 0xffffffL) + "-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "fuzzing passphrase " + UUID.randomUUID();
        Answer registered = post("auth-service", "/v1/auth/register", null,
                JSON.writeValueAsString(Map.of("username", name, "password", password)));
        assertThat(registered.status()).as(registered.bodyText()).isEqualTo(201);
        return new String[] {name, password};
    }

    /** A session of its own for each logout, so logging out ends no session the fuzzer goes on using. */
    private String freshSession() {
        try {
            return login(sessionUser);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private String login(String[] credentials) throws Exception {
        return login(credentials[0], credentials[1]);
    }

    private String login(String name, String password) throws Exception {
        Answer login = post("auth-service", "/v1/auth/login", null, JSON.writeValueAsString(Map.of("username", name, "password", password)));
        assertThat(login.status()).as(login.bodyText()).isEqualTo(200);
        return JSON.readTree(login.body()).path("accessToken").asText();
    }

    /** A secret, a key and a share of the fuzzer's own, so that some generated requests address real resources. */
    private void makeKnownResources() throws Exception {
        String suffix = Long.toHexString(seed & 0xffffffL) + UUID.randomUUID().toString().substring(0, 6);
        Answer secret = post("secrets-service", "/v1/secrets", adminToken, JSON.writeValueAsString(Map.of(
                "name", "fuzz/" + suffix, "environment", "testing", "value", "fuzz value " + suffix)));
        assertThat(secret.status()).as(secret.bodyText()).isEqualTo(201);
        String secretId = JSON.readTree(secret.body()).path("id").asText();
        known.put("secrets-service:id", List.of(secretId));
        known.put("secrets-service:version", List.of("1", "2"));
        known.put("secrets-service:environment", List.of("testing"));
        known.put("secrets-service:name", List.of("fuzz/" + suffix));
        Answer key = post("key-service", "/v1/keys", adminToken, "{\"name\":\"fuzz-" + suffix + "\",\"algorithm\":\"AES256_GCM\"}");
        assertThat(key.status()).as(key.bodyText()).isEqualTo(201);
        known.put("key-service:name", List.of("fuzz-" + suffix));
        Answer share = post("sharing-service", "/v1/shares", adminToken,
                JSON.writeValueAsString(Map.of("secretId", secretId, "maxViews", 100, "ttlSeconds", 3600)));
        assertThat(share.status()).as(share.bodyText()).isEqualTo(201);
        JsonNode created = JSON.readTree(share.body());
        String url = created.path("url").asText();
        known.put("sharing-service:token", List.of(url.substring(url.indexOf("/s/") + 3, url.indexOf('#'))));
        known.put("sharing-service:id", List.of(created.path("id").asText()));
    }

    private Answer post(String service, String path, String token, String json) {
        List<Header> headers = new ArrayList<>(List.of(new Header("Content-Type", "application/json")));
        if (token != null) {
            headers.add(new Header("Authorization", "Bearer " + token));
        }
        return RawHttp.exchange(URI.create(url(service)),
                new RawHttp.Request("POST", path, headers, json.getBytes(StandardCharsets.UTF_8)), TIMEOUT);
    }

    /** CHECKSUM TABLE of every table of the five databases, minus {@link #CHANGE_ON_REFUSAL}. */
    private Map<String, String> checksums() throws Exception {
        Map<String, String> sums = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
                Statement s = c.createStatement()) {
            for (String database : List.of("auth", "secrets", "sharing", "audit", "keys")) {
                String schema = databasePrefix + database;
                List<String> tables = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + schema + "'")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                for (String table : tables) {
                    if (CHANGE_ON_REFUSAL.containsKey("*." + table) || CHANGE_ON_REFUSAL.containsKey(database + "." + table)) {
                        continue;
                    }
                    try (ResultSet rs = s.executeQuery("CHECKSUM TABLE `" + schema + "`.`" + table + "` EXTENDED")) {
                        rs.next();
                        sums.put(database + "." + table, rs.getString(2));
                    }
                }
            }
        }
        assertThat(sums).as("tables compared").hasSizeGreaterThan(10);
        return sums;
    }

    private String url(String service) {
        return urls.get(service);
    }

    // --- randomness -------------------------------------------------------------------------------------------

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private String randomWord(int length) {
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < length; i++) {
            word.append((char) ('a' + random.nextInt(26)));
        }
        return word.toString();
    }

    private String randomToken() {
        return pick(List.of("x", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.", "a.b.c", randomWord(400), "", "Bearer"));
    }

    /** The admin's token with one character of its signature changed. */
    private String tampered(String token) {
        char[] chars = token.toCharArray();
        int at = chars.length - 2 - random.nextInt(10);
        chars[at] = chars[at] == 'A' ? 'B' : 'A';
        return new String(chars);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
