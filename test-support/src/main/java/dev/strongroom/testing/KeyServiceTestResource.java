package dev.strongroom.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real key-service for the app under test: the packaged key-service jar as a child process with its
 * own fresh database, the JVM's Kafka broker, a root key made by its own {@code generate-root-key}
 * command, and {@link TestTokens}' JWKS. Creates the key-encryption keys named by init arg {@code keks}
 * (comma-separated, default {@code secrets}) and gives the app {@code strongroom.services.keys-url}.
 * With init arg {@code token-property}, that property gets a 15-minute service token (the longest verifiers accept) with role {@code kms}
 * (subject {@code service:<token-name>}, init arg {@code token-name}, default {@code secrets-service}), which
 * key-service grants exactly the {@code keks}.
 * Init arg {@code jvm-options} (space-separated) replaces the small test JVM settings, e.g. for benchmarks.
 * {@link #current()} reaches the running process from tests.
 */
public class KeyServiceTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile ServiceProcess current;

    private Map<String, String> args = Map.of();
    private ServiceProcess process;
    private TestDatabase database;
    private Path rootKeyDir;

    @Override
    public void init(Map<String, String> initArgs) {
        this.args = initArgs;
    }

    @Override
    public Map<String, String> start() {
        try {
            rootKeyDir = Files.createTempDirectory("strongroom-test-root-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path rootKey = rootKeyDir.resolve("root-key.json");
        int generated = ServiceProcess.run("key-service", List.of("generate-root-key", rootKey.toString()), Duration.ofSeconds(60));
        if (generated != 0 || !Files.isRegularFile(rootKey)) {
            throw new IllegalStateException("key-service generate-root-key failed with exit code " + generated);
        }
        database = TestDatabase.create("keys");
        Map<String, String> properties = new HashMap<>(database.quarkusConfig());
        properties.put("strongroom.kafka.bootstrap", KafkaBroker.shared().bootstrapServers());
        properties.put("strongroom.auth.jwks-url", TestTokens.jwksUrl());
        properties.put("strongroom.auth.issuer", TestTokens.ISSUER);
        properties.put("strongroom.auth.audience", TestTokens.AUDIENCE);
        properties.put("strongroom.keys.root", rootKey.toString());
        // the token's service may use the keys it is given (key-service grants nothing else)
        String keks = args.getOrDefault("keks", "secrets");
        properties.put("strongroom.keys.grants.\"service:" + args.getOrDefault("token-name", "secrets-service") + "\"", keks);
        List<String> jvm = args.containsKey("jvm-options") ? List.of(args.get("jvm-options").trim().split("\\s+"))
                : ServiceProcess.TEST_JVM_OPTIONS;
        process = ServiceProcess.start("key-service", properties, jvm, Duration.ofSeconds(120));
        current = process;
        for (String kek : keks.split(",")) {
            createKey(process.baseUrl(), kek.trim());
        }
        Map<String, String> config = new HashMap<>();
        config.put("strongroom.services.keys-url", process.baseUrl());
        String tokenProperty = args.get("token-property");
        if (tokenProperty != null) {
            config.put(tokenProperty, TestTokens.builder()
                    .name(args.getOrDefault("token-name", "secrets-service"))
                    .type("service")
                    .roles("kms")
                    .sessionId(null)
                    .expiresIn(Duration.ofMinutes(15))
                    .sign());
        }
        return config;
    }

    @Override
    public void stop() {
        if (process != null) {
            process.close();
        }
        current = null;
        if (database != null) {
            database.drop();
        }
        if (rootKeyDir != null) {
            rootKeyDir.resolve("root-key.json").toFile().delete();
            rootKeyDir.toFile().delete();
        }
    }

    /** The key-service of the running test app, or null. */
    public static ServiceProcess current() {
        return current;
    }

    /** Creates a key (201), or accepts that it exists (409). */
    public static void createKey(String baseUrl, String name) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/keys"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", TestTokens.bearer("test-admin", "admin"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"algorithm\":\"AES256_GCM\"}"))
                .build();
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 201 && answer.statusCode() != 409) {
                throw new IllegalStateException("key-service answered " + answer.statusCode() + " to creating key " + name + ": " + answer.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
