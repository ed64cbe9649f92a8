package dev.strongroom.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The {@code sr} image from {@code ./strongroom images sr}, run under runc as the chart's init container runs it
 * (uid 10001, read-only root, the projected token mounted read-only, a writable secrets folder), against the
 * started stack. The container shares the host's network (deploy/images/run-image), so it reaches the stack on
 * 127.0.0.1. Called from {@link LocalStackIT}; the token comes from {@link CliChecks}' stand-in cluster issuer.
 */
final class ImageChecks {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalStack stack;
    private final Path work;

    ImageChecks(LocalStack stack) throws Exception {
        this.stack = stack;
        this.work = Files.createTempDirectory(stack.home(), "image-sr-");
    }

    void srAgentImageWritesAWorkloadsSecretUnderRunc() throws Exception {
        Path images = work.resolve("images");
        LocalStack.Result built = stack.with("STRONGROOM_IMAGES_DIR", images.toString()).run(Duration.ofMinutes(5), "images", "sr");
        assertThat(built.exitCode()).as(built.output()).isZero();
        assertThat(built.output()).contains("entrypoint java -jar /opt/sr/sr.jar");

        Run version = runSr(images, Map.of(), "--version");
        assertThat(version.exitCode).as(version.output).isZero();
        assertThat(version.output).containsPattern("sr \\d+\\.\\d+\\.\\d+\\S* \\(Java ");

        // a secret, readable by workload shop/<sa> through a Kubernetes role, and one it may not read
        String id = UUID.randomUUID().toString().substring(0, 8);
        String serviceAccount = "image-" + id;
        String role = "image-" + id;
        String value = "image v4lue " + UUID.randomUUID() + " ß✓";
        String owner = registerAndLogIn("image-owner-" + id);
        String secretId = createSecret(owner, "image-" + id + "/db-password", value);
        createSecret(owner, "image-" + id + "/not-granted", "other " + UUID.randomUUID());
        HttpResponse<String> granted = send("PUT", stack.url("secrets-service") + "/v1/secrets/" + secretId + "/access", owner,
                JSON.writeValueAsString(Map.of("grants", List.of(Map.of("principal", "workload:shop/" + serviceAccount, "permissions", List.of("READ"))))));
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
        String[] admin = stack.admin();
        HttpResponse<String> roleCreated = send("POST", stack.url("auth-service") + "/v1/admin/kubernetes/roles", logIn(admin[0], admin[1]),
                JSON.writeValueAsString(Map.of("name", role, "boundNamespaces", List.of("shop"), "boundServiceAccounts", List.of(serviceAccount),
                        "audience", "strongroom", "roles", List.of("user"))));
        assertThat(roleCreated.statusCode()).as(roleCreated.body()).isEqualTo(201);

        // what the kubelet gives the pod: the projected token (read-only) and a memory emptyDir the pod's user owns
        Path tokens = Files.createDirectories(work.resolve("tokens"));
        Path token = CliChecks.projectedToken(tokens, "shop", serviceAccount);
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path secrets = Files.createDirectories(work.resolve("secrets"));
        Files.setAttribute(secrets, "unix:uid", 10001);
        Files.setAttribute(secrets, "unix:gid", 10001);
        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rwx------"));
        Map<String, String> pod = Map.of("STRONGROOM_RUN_MOUNT", tokens.toString(), "STRONGROOM_RUN_SECRETS_DIR", secrets.toString());
        String tokenInside = "/etc/strongroom/mounted/" + token.getFileName();

        Run agent = runSr(images, pod, "agent", "--role", role, "--token-file", tokenInside,
                "--file", "db-password=testing/image-" + id + "/db-password");
        assertThat(agent.exitCode).as(agent.output).isZero();
        assertThat(agent.output).contains("logged in as workload:shop/" + serviceAccount + " with role " + role)
                .contains("wrote /strongroom/secrets/db-password (testing/image-" + id + "/db-password v1)")
                .doesNotContain(value);
        Path file = secrets.resolve("db-password");
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(value);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("r--------");
        assertThat(Files.getAttribute(file, "unix:uid")).isEqualTo(10001);

        // a secret the workload may not read: exit 5, nothing new written
        Run refused = runSr(images, pod, "agent", "--role", role, "--token-file", tokenInside,
                "--file", "other=testing/image-" + id + "/not-granted");
        assertThat(refused.exitCode).as(refused.output).isEqualTo(5);
        assertThat(refused.output).contains("not found or not readable by workload:shop/" + serviceAccount + ": testing/image-" + id + "/not-granted");
        assertThat(secrets.resolve("other")).doesNotExist();
    }

    record Run(int exitCode, String output) {}

    /** deploy/images/run-image sr ARGS: the image under runc, its output and exit code. */
    private Run runSr(Path images, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(stack.root().resolve("deploy/images/run-image").toString(), "sr"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("STRONGROOM_") || name.startsWith("SR_"));
        builder.environment().put("STRONGROOM_IMAGES_DIR", images.toString());
        builder.environment().put("STRONGROOM_AUTH_URL", stack.url("auth-service"));
        builder.environment().put("STRONGROOM_SECRETS_URL", stack.url("secrets-service"));
        builder.environment().putAll(env);
        Path output = Files.createTempFile(work, "run-", ".txt");
        Process process = builder.redirectOutput(output.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("run-image sr " + String.join(" ", args) + " did not finish: " + Files.readString(output));
        }
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private String registerAndLogIn(String name) throws Exception {
        String password = "image stack passphrase " + UUID.randomUUID();
        HttpResponse<String> registered = send("POST", stack.url("auth-service") + "/v1/auth/register", null,
                JSON.writeValueAsString(Map.of("username", name, "password", password)));
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        return logIn(name, password);
    }

    private String logIn(String name, String password) throws Exception {
        HttpResponse<String> login = send("POST", stack.url("auth-service") + "/v1/auth/login", null,
                JSON.writeValueAsString(Map.of("username", name, "password", password)));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        return JSON.readTree(login.body()).path("accessToken").asText();
    }

    private String createSecret(String token, String name, String value) throws Exception {
        HttpResponse<String> created = send("POST", stack.url("secrets-service") + "/v1/secrets", token,
                JSON.writeValueAsString(Map.of("name", name, "environment", "testing", "value", value)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).path("id").asText();
    }

    private static HttpResponse<String> send(String method, String url, String token, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
