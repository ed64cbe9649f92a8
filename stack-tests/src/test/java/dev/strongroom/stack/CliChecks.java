package dev.strongroom.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.testing.LocalIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jose4j.jwt.JwtClaims;

/**
 * The {@code sr} command line and {@code sr agent} against the started stack, run as a user runs them: the
 * launcher {@code ./sr} in a child process with its own config folder, values fed through stdin or files.
 * Called from {@link LocalStackIT}, which owns the stack; this class adds a stand-in Kubernetes cluster issuer
 * (a {@link LocalIssuer} whose JWKS auth-service is told to trust) before the stack starts.
 */
final class CliChecks {

    static final String CLUSTER_ISSUER = "https://kubernetes.default.svc.cluster.local";
    private static final String REALM = "cluster";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalIssuer cluster;

    private final LocalStack stack;
    private final Path work;
    /** Every value this class stores: none may appear in the CLI's output, logs or process arguments. */
    private final List<String> values = new ArrayList<>();

    CliChecks(LocalStack stack) throws Exception {
        this.stack = stack;
        this.work = Files.createTempDirectory(stack.home(), "cli-");
    }

    /** Before {@code up}: a cluster issuer on a free port whose JWKS auth-service trusts for workload logins. */
    static LocalStack withClusterIssuer(LocalStack stack) {
        int port = LocalIssuer.freePort();
        cluster = LocalIssuer.start(REALM, CLUSTER_ISSUER, LocalIssuer.newKey(), port);
        return stack.with("STRONGROOM_AUTH_KUBERNETES_ISSUER", CLUSTER_ISSUER)
                .with("STRONGROOM_AUTH_KUBERNETES_JWKS_URL", LocalIssuer.jwksUrl(port, REALM));
    }

    static void closeClusterIssuer() {
        if (cluster != null) {
            cluster.close();
        }
    }

    // --- what the tests check ------------------------------------------------------------------------------

    void loginWithAndWithoutTotpRefreshAndLogout() throws Exception {
        User alice = register("alice");
        Result login = sr(alice, alice.password + "\n", "login", "-u", alice.name);
        assertThat(login.exitCode).as(login.toString()).isZero();
        assertThat(login.out).contains("Logged in to " + stack.url("auth-service") + " as " + alice.name);
        Path cache = alice.config.resolve("strongroom/tokens.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.getParent()))).isEqualTo("rwx------");
        Result whoami = sr(alice, "", "whoami", "-o", "json");
        assertThat(JSON.readTree(whoami.out).path("username").asText()).as(whoami.toString()).isEqualTo(alice.name);
        assertThat(sr(alice, "", "whoami").out).contains("mfaEnabled  false");

        // an expired cached token is refreshed (and the refresh token rotated) before the request
        ObjectNode tokens = (ObjectNode) JSON.readTree(cache.toFile());
        ObjectNode entry = (ObjectNode) tokens.get(stack.url("auth-service"));
        String refreshBefore = entry.path("refreshToken").asText();
        entry.put("expiresAt", 0);
        Files.writeString(cache, tokens.toString());
        Result refreshed = sr(alice, "", "whoami");
        assertThat(refreshed.exitCode).as(refreshed.toString()).isZero();
        JsonNode after = JSON.readTree(cache.toFile()).get(stack.url("auth-service"));
        assertThat(after.path("refreshToken").asText()).isNotEqualTo(refreshBefore);
        assertThat(after.path("expiresAt").asLong()).isGreaterThan(System.currentTimeMillis() / 1000);

        Result wrong = sr(register("mallory"), "not the password at all\n", "login", "-u", alice.name);
        assertThat(wrong.exitCode).isEqualTo(3);
        assertThat(wrong.err.lines().toList()).as(wrong.toString()).hasSize(1).allMatch(l -> l.startsWith("sr: ") && l.contains("HTTP 401"));

        // TOTP: the code is asked for when the server answers mfa-required
        User bob = register("bob");
        byte[] key = enrolTotp(bob);
        long step = System.currentTimeMillis() / 1000 / 30;
        Result badCode = sr(bob, bob.password + "\n000000\n", "login", "-u", bob.name);
        assertThat(badCode.exitCode).as(badCode.toString()).isEqualTo(3);
        Result withCode = sr(bob, bob.password + "\n" + totp(key, step + 1) + "\n", "login", "-u", bob.name);
        assertThat(withCode.exitCode).as(withCode.toString()).isZero();
        assertThat(sr(bob, "", "whoami").out).contains("mfaEnabled  true");
        Result noCode = sr(register("eve"), bob.password + "\n", "login", "-u", bob.name);
        assertThat(noCode.exitCode).isEqualTo(2);
        assertThat(noCode.err).contains("no answer for 'One-time code'");

        Result logout = sr(bob, "", "logout");
        assertThat(logout.exitCode).as(logout.toString()).isZero();
        assertThat(JSON.readTree(bob.config.resolve("strongroom/tokens.json").toFile()).has(stack.url("auth-service"))).isFalse();
        assertThat(sr(bob, "", "whoami").exitCode).isEqualTo(3);
        assertNoValueLeaked(List.of(login, whoami, refreshed, wrong, withCode, logout));
    }

    void secretCommandsWorkAndRefuse() throws Exception {
        User alice = loggedIn("alice");
        User carol = loggedIn("carol");
        String base = "testing/cli-" + shortId();
        String ref = base + "/db/password";
        String first = value();
        String second = value();

        Result created = sr(alice, first + "\n", "secret", "put", ref, "--stdin", "--type", "password", "--tag", "team=core");
        assertThat(created.exitCode).as(created.toString()).isZero();
        assertThat(created.out).startsWith("Created " + ref + " version 1");
        Path file = work.resolve("second-" + shortId());
        Files.writeString(file, second);
        Result stored = sr(alice, "", "secret", "put", ref, "--from-file", file.toString());
        assertThat(stored.out).as(stored.toString()).startsWith("Stored " + ref + " version 2");
        Result stale = sr(alice, "x\n", "secret", "put", ref, "--stdin", "--cas", "1");
        assertThat(stale.exitCode).as(stale.toString()).isEqualTo(6);
        assertThat(stale.err.lines().toList()).hasSize(1);

        assertThat(sr(alice, "", "secret", "get", ref).out).isEqualTo(second + "\n");
        assertThat(sr(alice, "", "secret", "get", ref, "--version", "1", "-n").out).isEqualTo(first);
        JsonNode asJson = JSON.readTree(sr(alice, "", "secret", "get", ref, "-o", "json").out);
        assertThat(asJson.path("version").asInt()).isEqualTo(2);
        String id = asJson.path("id").asText();

        Result list = sr(alice, "", "secret", "list", "-e", "testing", "-q", base.substring("testing/".length()));
        assertThat(list.out).as(list.toString()).startsWith("NAME").contains("db/password").contains(id).doesNotContain(second);
        assertThat(JSON.readTree(sr(alice, "", "secret", "list", "-e", "testing", "-q", base.substring("testing/".length()), "-o", "json").out).path("items")).hasSize(1);

        Result patched = sr(alice, "", "secret", "patch", ref, "--description", "primary database", "--tag", "tier=1",
                "--rotate-every", "30");
        assertThat(patched.exitCode).as(patched.toString()).isZero();
        JsonNode metadata = JSON.readTree(sr(alice, "", "secret", "get", ref, "--metadata", "-o", "json").out);
        assertThat(metadata.path("description").asText()).isEqualTo("primary database");
        assertThat(metadata.path("tags").path("team").asText()).isEqualTo("core");
        assertThat(metadata.path("tags").path("tier").asText()).isEqualTo("1");
        assertThat(metadata.path("rotation").path("intervalDays").asInt()).isEqualTo(30);

        Result rotated = sr(alice, "", "secret", "rotate", ref);
        assertThat(rotated.out).as(rotated.toString()).startsWith("Rotated " + ref + ": version 3 (generated)");
        String generated = sr(alice, "", "secret", "get", ref, "-n").out;
        assertThat(generated).isNotBlank().isNotEqualTo(second);
        values.add(generated);
        Result rolledBack = sr(alice, "", "secret", "rollback", ref, "1");
        assertThat(rolledBack.out).as(rolledBack.toString()).contains("now version 4");
        assertThat(sr(alice, "", "secret", "get", id, "-n").out).isEqualTo(first);
        Result versions = sr(alice, "", "secret", "versions", ref);
        assertThat(versions.out.lines().count()).as(versions.toString()).isEqualTo(5);

        // access: carol sees nothing, then READ, then nothing again
        Result hidden = sr(carol, "", "secret", "get", ref);
        assertThat(hidden.exitCode).as(hidden.toString()).isEqualTo(5);
        assertThat(hidden.err.lines().toList()).hasSize(1);
        Result granted = sr(alice, "", "access", "grant", ref, "user:" + carol.name, "read");
        assertThat(granted.out).as(granted.toString()).contains("user:" + carol.name).contains("READ");
        assertThat(sr(alice, "", "access", "get", ref).out).contains(alice.name).contains("(owner)");
        assertThat(sr(carol, "", "secret", "get", ref, "-n").out).isEqualTo(first);
        Result carolWrites = sr(carol, "y\n", "secret", "put", ref, "--stdin");
        assertThat(carolWrites.exitCode).as(carolWrites.toString()).isIn(4, 5);
        Result carolGrants = sr(carol, "", "access", "grant", ref, "user:" + carol.name, "ADMIN");
        assertThat(carolGrants.exitCode).as(carolGrants.toString()).isIn(4, 5);
        assertThat(sr(alice, "", "access", "revoke", ref, "user:" + carol.name).exitCode).isZero();
        assertThat(sr(carol, "", "secret", "get", ref).exitCode).isEqualTo(5);

        // delete, restore, destroy
        assertThat(sr(alice, "", "secret", "delete", ref).exitCode).isZero();
        assertThat(sr(alice, "", "secret", "get", ref).exitCode).isEqualTo(5);
        Result restored = sr(alice, "", "secret", "restore", ref);
        assertThat(restored.out).as(restored.toString()).startsWith("Restored " + ref);
        Result noYes = sr(alice, "", "secret", "destroy", ref, "2");
        assertThat(noYes.exitCode).isEqualTo(2);
        assertThat(sr(alice, "", "secret", "destroy", ref, "2", "--yes").exitCode).isZero();
        Result destroyedRead = sr(alice, "", "secret", "get", ref, "--version", "2");
        assertThat(destroyedRead.exitCode).as(destroyedRead.toString()).isNotZero();
        assertThat(sr(alice, "", "secret", "get", ref, "-n").out).isEqualTo(first);

        // keys and audit: admins and auditors only
        User admin = admin();
        assertThat(sr(alice, "", "key", "list").exitCode).isEqualTo(4);
        String keyName = "cli-" + shortId();
        assertThat(post(stack.url("key-service") + "/v1/keys", token(admin), "{\"name\":\"" + keyName + "\",\"algorithm\":\"AES256_GCM\"}").statusCode()).isEqualTo(201);
        Result keys = sr(admin, "", "key", "list");
        assertThat(keys.out).as(keys.toString()).startsWith("NAME").contains(keyName);
        Result keyRotated = sr(admin, "", "key", "rotate", keyName);
        assertThat(keyRotated.out).as(keyRotated.toString()).isEqualTo("Rotated key " + keyName + ": primary version 2\n");
        assertThat(sr(alice, "", "audit", "events").exitCode).isEqualTo(4);
        JsonNode reads = null;
        for (long deadline = System.currentTimeMillis() + 60_000; System.currentTimeMillis() < deadline; Thread.sleep(500)) {
            reads = JSON.readTree(sr(admin, "", "audit", "events", "--action", "secret.read", "--resource", id, "-o", "json").out).path("items");
            if (reads.size() >= 5) {
                break;
            }
        }
        assertThat(reads).as("secret.read events of " + id).hasSizeGreaterThanOrEqualTo(5);
        assertThat(sr(admin, "", "audit", "events", "--resource", id).out).contains("secret.rolled_back");
        Result verified = sr(admin, "", "audit", "verify");
        assertThat(verified.exitCode).as(verified.toString()).isZero();
        assertThat(verified.out).startsWith("Audit log intact: ");
        assertNoValueLeaked(List.of(created, stored, stale, list, patched, rotated, rolledBack, versions, hidden, granted, carolWrites,
                restored, keys, verified));
    }

    void runPassesValuesOnlyThroughTheEnvironment() throws Exception {
        User alice = loggedIn("alice");
        String base = "testing/cli-" + shortId();
        String password = value();
        String apiKey = value();
        ok(alice, password + "\n", "secret", "put", base + "/db/password", "--stdin");
        ok(alice, apiKey + "\n", "secret", "put", base + "/api-key", "--stdin");

        Path args = work.resolve("args-" + shortId());
        Result run = sr(alice, "", "run", "--env", "DB_PASSWORD=" + base + "/db/password", "--env", "API_KEY=" + base + "/api-key", "--",
                "sh", "-c", "tr '\\0' ' ' < /proc/$PPID/cmdline > " + args + "; test -n \"$DB_PASSWORD\" && printf %s \"$DB_PASSWORD$API_KEY\" | sha256sum");
        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out.strip()).isEqualTo(sha256(password + apiKey) + "  -");
        assertThat(Files.readString(args)).contains("sr.jar").doesNotContain(password).doesNotContain(apiKey);

        assertThat(sr(alice, "", "run", "--env", "X=" + base + "/db/password", "--", "sh", "-c", "exit 7").exitCode).isEqualTo(7);
        Result missing = sr(alice, "", "run", "--env", "X=" + base + "/nope", "--env", "Y=" + base + "/api-key", "--", "true");
        assertThat(missing.exitCode).isEqualTo(5);
        assertThat(missing.err).isEqualTo("sr: not found or not readable by you: " + base + "/nope\n");

        // sr env: a real shell reads the shell format back byte for byte
        Result shell = sr(alice, "", "env", "--format", "shell", "--env", "DB_PASSWORD=" + base + "/db/password");
        Process sh = new ProcessBuilder("sh", "-c", shell.out + "printf %s \"$DB_PASSWORD\"").start();
        assertThat(new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(password);
        Path dotenv = work.resolve("dotenv-" + shortId());
        assertThat(sr(alice, "", "env", "--env", "API_KEY=" + base + "/api-key", "--file", dotenv.toString()).exitCode).isZero();
        assertThat(Files.readString(dotenv)).isEqualTo("API_KEY=\"" + apiKey + "\"\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dotenv))).isEqualTo("rw-------");

        // a service account logs in with client credentials from the environment: no sr login, no cache
        String account = "cli-ci-" + shortId();
        HttpResponse<String> created = post(stack.url("auth-service") + "/v1/admin/service-accounts", token(admin()),
                "{\"name\":\"" + account + "\",\"roles\":[\"user\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode credentials = JSON.readTree(created.body());
        assertThat(sr(alice, "", "access", "grant", base + "/db/password", "service:" + account, "READ").exitCode).isZero();
        User ci = new User(account, null, Files.createTempDirectory(work, "ci-"), Map.of(
                "STRONGROOM_CLIENT_ID", credentials.path("clientId").asText(),
                "STRONGROOM_CLIENT_SECRET", credentials.path("clientSecret").asText()));
        Result ciRun = sr(ci, "", "run", "--env", "DB_PASSWORD=" + base + "/db/password", "--", "sh", "-c", "printf %s \"$DB_PASSWORD\" | sha256sum");
        assertThat(ciRun.out.strip()).as(ciRun.toString()).isEqualTo(sha256(password) + "  -");
        assertThat(Files.exists(ci.config.resolve("strongroom/tokens.json"))).isFalse();
        Result ciDenied = sr(ci, "", "run", "--env", "K=" + base + "/api-key", "--", "true");
        assertThat(ciDenied.exitCode).isEqualTo(5);
        assertNoValueLeaked(List.of(run, missing, ciRun, ciDenied));
    }

    void agentWritesAWorkloadsSecretsAndFollowsRotation() throws Exception {
        User alice = loggedIn("alice");
        User admin = admin();
        String base = "testing/cli-" + shortId();
        String role = "shop-" + shortId();
        String password = value();
        ok(alice, password + "\n", "secret", "put", base + "/db/password", "--stdin");
        ok(alice, value() + "\n", "secret", "put", base + "/not-granted", "--stdin");
        assertThat(sr(alice, "", "access", "grant", base + "/db/password", "workload:shop/api", "READ").exitCode).isZero();
        HttpResponse<String> roleCreated = post(stack.url("auth-service") + "/v1/admin/kubernetes/roles", token(admin), JSON.writeValueAsString(Map.of(
                "name", role, "boundNamespaces", List.of("shop"), "boundServiceAccounts", List.of("api"),
                "audience", "strongroom", "roles", List.of("user"))));
        assertThat(roleCreated.statusCode()).as(roleCreated.body()).isEqualTo(201);

        User pod = new User("pod", null, Files.createTempDirectory(work, "pod-"), Map.of());
        Path token = projectedToken(pod.config, "shop", "api");
        Path dir = pod.config.resolve("secrets");
        Result init = sr(pod, "", "agent", "--role", role, "--token-file", token.toString(), "--dir", dir.toString(),
                "--file", "db-password=" + base + "/db/password", "--env", "DB_PASSWORD=" + base + "/db/password", "--env-file", dir.resolve("app.env").toString());
        assertThat(init.exitCode).as(init.toString()).isZero();
        assertThat(Files.readString(dir.resolve("db-password"))).isEqualTo(password);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("db-password")))).isEqualTo("r--------");
        assertThat(Files.readString(dir.resolve("app.env"))).isEqualTo("DB_PASSWORD=\"" + password + "\"\n");
        assertThat(init.err).contains("logged in as workload:shop/api with role " + role).contains("wrote " + dir.resolve("db-password") + " (" + base + "/db/password v1)");

        Result notGranted = sr(pod, "", "agent", "--role", role, "--token-file", token.toString(), "--dir", pod.config.resolve("other").toString(),
                "--file", "a=" + base + "/db/password", "--file", "b=" + base + "/not-granted", "--file", "c=" + base + "/absent");
        assertThat(notGranted.exitCode).as(notGranted.toString()).isEqualTo(5);
        assertThat(notGranted.err).endsWith("sr: not found or not readable by workload:shop/api: " + base + "/absent, " + base + "/not-granted\n");
        assertThat(Files.exists(pod.config.resolve("other/a"))).as("nothing written when one secret fails").isFalse();
        Result wrongAccount = sr(pod, "", "agent", "--role", role, "--token-file", projectedToken(pod.config, "shop", "intruder").toString(),
                "--dir", dir.toString(), "--file", "x=" + base + "/db/password");
        assertThat(wrongAccount.exitCode).as(wrongAccount.toString()).isEqualTo(3);
        assertThat(wrongAccount.err).startsWith("sr: workload login with role " + role + " refused: ");

        // watch mode: a rotation is picked up, and the token renewed (every round here, with a 15-minute margin)
        Path log = pod.config.resolve("agent.log");
        Process agent = start(pod, log, "agent", "--watch", "--interval", "1s", "--renew-before", "15m", "--role", role,
                "--token-file", token.toString(), "--dir", dir.toString(), "--file", "db-password=" + base + "/db/password");
        String rotatedValue;
        try {
            // rotate only once the agent has written version 1: on a loaded machine its first round can come late
            long started = System.currentTimeMillis() + 60_000;
            String firstRound = "wrote " + dir.resolve("db-password") + " (" + base + "/db/password v1)";
            while (!(Files.exists(log) && Files.readString(log).contains(firstRound)) && System.currentTimeMillis() < started) {
                Thread.sleep(100);
            }
            assertThat(Files.readString(log)).contains(firstRound);
            rotatedValue = value();
            Result rotated = sr(alice, rotatedValue + "\n", "secret", "rotate", base + "/db/password", "--stdin");
            assertThat(rotated.out).as(rotated.toString()).startsWith("Rotated " + base + "/db/password: version 2\n");
            long deadline = System.currentTimeMillis() + 60_000;
            while (!Files.readString(dir.resolve("db-password")).equals(rotatedValue) && System.currentTimeMillis() < deadline) {
                Thread.sleep(250);
            }
            assertThat(Files.readString(dir.resolve("db-password"))).as(Files.readString(log)).isEqualTo(rotatedValue);
            String arguments = new String(Files.readAllBytes(Path.of("/proc/" + agent.pid() + "/cmdline")), StandardCharsets.UTF_8);
            assertThat(arguments).contains("agent").doesNotContain(password).doesNotContain(rotatedValue);
            while (Files.readString(log).split("logged in as", -1).length < 3 && System.currentTimeMillis() < deadline) {
                Thread.sleep(250);
            }
        } finally {
            agent.destroy();
            agent.waitFor(10, TimeUnit.SECONDS);
        }
        String agentLog = Files.readString(log);
        assertThat(agentLog.split("logged in as", -1).length - 1).as(agentLog).isGreaterThanOrEqualTo(2);
        assertThat(agentLog).contains("rewrote " + dir.resolve("db-password") + " (" + base + "/db/password v2)");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("db-password")))).isEqualTo("r--------");
        assertNoValueLeaked(List.of(init, notGranted, wrongAccount, new Result(0, "", agentLog)));
    }

    void shareCreateThenOpenGivesTheValueOnce() throws Exception {
        User alice = loggedIn("alice");
        User carol = loggedIn("carol");
        String ref = "testing/cli-" + shortId() + "/handover";
        String password = value();
        ok(alice, password + "\n", "secret", "put", ref, "--stdin");

        Result created = sr(alice, "", "share", "create", ref, "--ttl", "10m", "--views", "1");
        assertThat(created.exitCode).as(created.toString()).isZero();
        String url = created.out.strip();
        assertThat(url).contains("/s/").contains("#");
        String shareId = JSON.readTree(sr(alice, "", "share", "list", "-o", "json").out).path("items").get(0).path("id").asText();
        assertThat(sr(alice, "", "share", "list").out).contains(shareId).doesNotContain(url.substring(url.indexOf("/s/") + 3));

        // anyone with the link, no login: the value once, then gone
        User stranger = new User("stranger", null, Files.createTempDirectory(work, "stranger-"), Map.of());
        Result opened = sr(stranger, "", "share", "open", url, "-n");
        assertThat(opened.exitCode).as(opened.toString()).isZero();
        assertThat(opened.out).isEqualTo(password);
        assertThat(opened.err).contains("0 view(s) left");
        Result again = sr(stranger, "", "share", "open", url);
        assertThat(again.exitCode).as(again.toString()).isEqualTo(5);
        assertThat(again.out).isEmpty();

        // a link with another key does not open (and a view is spent server-side, never the value here)
        Result second = sr(alice, "", "share", "create", ref, "--views", "2");
        String link = second.out.strip();
        String otherKey = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        Result tampered = sr(stranger, "", "share", "open", link.substring(0, link.indexOf('#') + 1) + otherKey);
        assertThat(tampered.exitCode).isEqualTo(1);
        assertThat(tampered.err).isEqualTo("sr: the share does not open with the link's key (a wrong or altered link)\n");

        // refusals: SHARE is needed to share; only the creator (or an admin) revokes
        assertThat(sr(carol, "", "share", "create", ref).exitCode).as("carol cannot see the secret").isEqualTo(5);
        String secondId = null;
        for (JsonNode share : JSON.readTree(sr(alice, "", "share", "list", "-o", "json").out).path("items")) {
            if (!share.path("id").asText().equals(shareId)) {
                secondId = share.path("id").asText();
            }
        }
        assertThat(secondId).isNotNull();
        assertThat(sr(carol, "", "share", "revoke", secondId).exitCode).isIn(4, 5);
        assertThat(sr(alice, "", "share", "revoke", secondId).exitCode).isZero();
        assertThat(sr(stranger, "", "share", "open", link).exitCode).isEqualTo(5);
        assertNoValueLeaked(List.of(created, again, second, tampered));
    }

    /** No stored value in the stack's own logs either. */
    void noValueInTheServicesLogs() throws Exception {
        assertThat(values).isNotEmpty();
        try (Stream<Path> logs = Files.walk(stack.home().resolve("logs"))) {
            for (Path file : logs.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file, StandardCharsets.ISO_8859_1);
                for (String value : values) {
                    assertThat(text).as(file.toString()).doesNotContain(value);
                }
            }
        }
    }

    // --- running sr ---------------------------------------------------------------------------------------

    /** A person (or service) with their own sr config folder and extra environment. */
    record User(String name, String password, Path config, Map<String, String> env) {}

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    Result sr(User user, String stdin, String... args) throws Exception {
        Path out = Files.createTempFile(work, "out-", ".txt");
        Path err = Files.createTempFile(work, "err-", ".txt");
        Process process = builder(user, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("sr " + String.join(" ", args) + " did not finish");
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** sr that must succeed. */
    Result ok(User user, String stdin, String... args) throws Exception {
        Result result = sr(user, stdin, args);
        assertThat(result.exitCode).as("sr " + String.join(" ", args) + "\n" + result).isZero();
        return result;
    }

    private Process start(User user, Path log, String... args) throws Exception {
        return builder(user, args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private ProcessBuilder builder(User user, String... args) {
        List<String> command = new ArrayList<>();
        command.add(stack.root().resolve("sr").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("STRONGROOM_") || k.startsWith("SR_"));
        env.put("STRONGROOM_JAVA_HOME", System.getProperty("strongroom.java.home", System.getProperty("java.home")));
        env.put("STRONGROOM_AUTH_URL", stack.url("auth-service"));
        env.put("STRONGROOM_SECRETS_URL", stack.url("secrets-service"));
        env.put("STRONGROOM_SHARING_URL", stack.url("sharing-service"));
        env.put("STRONGROOM_AUDIT_URL", stack.url("audit-service"));
        env.put("STRONGROOM_KEYS_URL", stack.url("key-service"));
        env.put("XDG_CONFIG_HOME", user.config.toString());
        env.put("XDG_CACHE_HOME", work.resolve("cache").toString());
        env.putAll(user.env);
        return builder;
    }

    // --- people, tokens and values ---------------------------------------------------------------------

    private User register(String prefix) throws Exception {
        String name = prefix + "-" + shortId();
        String password = "cli stack passphrase " + UUID.randomUUID();
        HttpResponse<String> registered = post(stack.url("auth-service") + "/v1/auth/register", null,
                JSON.writeValueAsString(Map.of("username", name, "password", password)));
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        return new User(name, password, Files.createTempDirectory(work, prefix + "-"), Map.of());
    }

    private User loggedIn(String prefix) throws Exception {
        User user = register(prefix);
        Result login = sr(user, user.password + "\n", "login", "-u", user.name);
        assertThat(login.exitCode).as(login.toString()).isZero();
        return user;
    }

    private User admin() throws Exception {
        String[] admin = stack.admin();
        User user = new User(admin[0], admin[1], Files.createTempDirectory(work, "admin-"), Map.of());
        Result login = sr(user, user.password + "\n", "login", "-u", user.name);
        assertThat(login.exitCode).as(login.toString()).isZero();
        return user;
    }

    private String token(User user) throws Exception {
        HttpResponse<String> login = post(stack.url("auth-service") + "/v1/auth/login", null,
                JSON.writeValueAsString(Map.of("username", user.name, "password", user.password)));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        return JSON.readTree(login.body()).path("accessToken").asText();
    }

    private byte[] enrolTotp(User user) throws Exception {
        String access = token(user);
        HttpResponse<String> enrolment = post(stack.url("auth-service") + "/v1/auth/mfa/totp", access,
                JSON.writeValueAsString(Map.of("password", user.password)));
        assertThat(enrolment.statusCode()).as(enrolment.body()).isEqualTo(200);
        byte[] key = base32(JSON.readTree(enrolment.body()).path("secret").asText());
        long step = System.currentTimeMillis() / 1000 / 30;
        HttpResponse<String> confirmed = post(stack.url("auth-service") + "/v1/auth/mfa/totp/confirm", access, "{\"code\":\"" + totp(key, step) + "\"}");
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        return key;
    }

    /** What the kubelet mounts: a service-account token from the cluster issuer, for audience strongroom. */
    static Path projectedToken(Path dir, String namespace, String serviceAccount) throws Exception {
        JwtClaims claims = cluster.claims("system:serviceaccount:" + namespace + ":" + serviceAccount, "strongroom");
        claims.setClaim("kubernetes.io", Map.of("namespace", namespace,
                "serviceaccount", Map.of("name", serviceAccount, "uid", UUID.randomUUID().toString())));
        Path file = dir.resolve("token-" + serviceAccount);
        Files.writeString(file, cluster.sign(claims));
        return file;
    }

    private String value() {
        String value = "v4lue-" + UUID.randomUUID() + "-ß✓";
        values.add(value);
        return value;
    }

    private void assertNoValueLeaked(List<Result> results) {
        for (Result result : results) {
            for (String value : values) {
                assertThat(result.out + result.err).as(result.toString()).doesNotContain(value);
            }
        }
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static HttpResponse<String> post(String url, String token, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** RFC 6238 with HMAC-SHA1, 6 digits, 30 s steps. */
    private static String totp(byte[] key, long step) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA1"));
        byte[] hash = mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(step).array());
        int offset = hash[hash.length - 1] & 0xf;
        int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16) | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
        return String.format("%06d", binary % 1_000_000);
    }

    private static byte[] base32(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : text.toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }
}
