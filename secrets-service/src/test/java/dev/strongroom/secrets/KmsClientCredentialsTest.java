package dev.strongroom.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strongroom.crypto.Tokens;
import dev.strongroom.crypto.client.KeyServiceClient;
import dev.strongroom.crypto.client.ServiceCredentialsException;
import dev.strongroom.crypto.client.ServiceTokens;
import dev.strongroom.crypto.envelope.DataKeyCache;
import dev.strongroom.crypto.envelope.EnvelopeEncryption;
import dev.strongroom.secrets.config.SecretsConfig;
import dev.strongroom.testing.KafkaBroker;
import dev.strongroom.testing.ServiceProcess;
import dev.strongroom.testing.TestDatabase;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * secrets-service's way to key-service, end to end with the real services: a service account
 * provisioned in auth-service gets a token by client credentials (common-crypto's {@link ServiceTokens}, configured by {@code strongroom.secrets.kms.*}), and key-service,
 * trusting auth-service's JWKS, wraps and unwraps data keys for it.
 */
class KmsClientCredentialsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final String CLIENT_SECRET = Tokens.newToken();
    private static TestDatabase authDb;
    private static TestDatabase keysDb;
    private static ServiceProcess auth;
    private static ServiceProcess keys;
    private static Path dir;

    @BeforeAll
    static void startAuthAndKeyService() throws Exception {
        dir = Files.createTempDirectory("strongroom-kms-client-");
        String adminPassword = "Adm1n-" + Tokens.newToken();
        authDb = TestDatabase.create("auth");
        Map<String, String> authConfig = new HashMap<>(authDb.quarkusConfig());
        authConfig.put("strongroom.kafka.bootstrap", KafkaBroker.shared().bootstrapServers());
        authConfig.put("strongroom.auth.signing.key-files", dir.resolve("signing-keys.json").toString());
        authConfig.put("strongroom.auth.signing.generate-missing", "true");
        authConfig.put("strongroom.auth.bootstrap-admin.username", "admin");
        authConfig.put("strongroom.auth.bootstrap-admin.password", adminPassword);
        authConfig.put("strongroom.auth.service-clients.\"secrets-service\".secret", CLIENT_SECRET);
        authConfig.put("strongroom.auth.service-clients.\"secrets-service\".roles", "kms");
        auth = ServiceProcess.start("auth-service", authConfig, Duration.ofSeconds(180));

        Path rootKey = dir.resolve("root-key.json");
        assertThat(ServiceProcess.run("key-service", List.of("generate-root-key", rootKey.toString()), Duration.ofSeconds(60))).isZero();
        keysDb = TestDatabase.create("keys");
        Map<String, String> keysConfig = new HashMap<>(keysDb.quarkusConfig());
        keysConfig.put("strongroom.kafka.bootstrap", KafkaBroker.shared().bootstrapServers());
        keysConfig.put("strongroom.auth.jwks-url", auth.baseUrl() + "/v1/auth/jwks");
        keysConfig.put("strongroom.keys.root", rootKey.toString());
        keys = ServiceProcess.start("key-service", keysConfig, Duration.ofSeconds(180));

        // An admin of the real auth-service creates the KEK secrets-service uses.
        String adminToken = post(auth.baseUrl() + "/v1/auth/login", null, "application/json",
                "{\"username\":\"admin\",\"password\":\"" + adminPassword + "\"}").path("accessToken").asText();
        post(keys.baseUrl() + "/v1/keys", adminToken, "application/json", "{\"name\":\"secrets\",\"algorithm\":\"AES256_GCM\"}");
    }

    @AfterAll
    static void stop() throws Exception {
        for (ServiceProcess process : new ServiceProcess[] {keys, auth}) {
            if (process != null) {
                process.close();
            }
        }
        for (TestDatabase db : new TestDatabase[] {keysDb, authDb}) {
            if (db != null) {
                db.drop();
            }
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aServiceAccountTokenFromAuthServiceOpensKeyService() throws Exception {
        ServiceTokens tokens = tokens(config("secrets-service", CLIENT_SECRET));
        assertThat(tokens.current()).isNull();
        ready(tokens, Duration.ofSeconds(30));
        String token = tokens.current();
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertThat(claims.path("upn").asText()).isEqualTo("secrets-service");
        assertThat(claims.path("principal_type").asText()).isEqualTo("service");
        assertThat(claims.path("groups").toString()).contains("kms");
        // Cached: a second call reuses it.
        ready(tokens, Duration.ofSeconds(5));
        assertThat(tokens.current()).isEqualTo(token);

        KeyServiceClient client = KeyServiceClient.builder(URI.create(keys.baseUrl())).bearerToken(tokens::current).build();
        byte[] ad = "secret-id|1|production".getBytes(StandardCharsets.UTF_8);
        byte[] envelope = new EnvelopeEncryption(client, DataKeyCache.disabled())
                .encrypt("secrets", "the value".getBytes(StandardCharsets.UTF_8), ad).toCompletableFuture().get();
        byte[] opened = new EnvelopeEncryption(client, DataKeyCache.disabled()).decrypt(envelope, ad).toCompletableFuture().get();
        assertThat(new String(opened, StandardCharsets.UTF_8)).isEqualTo("the value");
    }

    @Test
    void aWrongClientSecretIsRefusedAndNeverEchoed() {
        String wrong = Tokens.newToken();
        ServiceTokens tokens = tokens(config("secrets-service", wrong));
        assertThatThrownBy(() -> ready(tokens, Duration.ofSeconds(30)))
                .isInstanceOf(ServiceCredentialsException.class)
                .hasMessageContaining("401")
                .hasMessageContaining("secrets-service")
                .hasMessageNotContaining(wrong);
        assertThat(tokens.current()).isNull();
    }

    private static ServiceTokens tokens(SecretsConfig config) {
        return ServiceTokens.from(config.kms(), config.kms().timeout(), "strongroom.secrets.kms", null);
    }

    private static void ready(ServiceTokens tokens, Duration timeout) throws Exception {
        try {
            tokens.ready().toCompletableFuture().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static SecretsConfig config(String clientId, String clientSecret) {
        Map<String, String> values = Map.of(
                "strongroom.services.auth-url", auth.baseUrl(),
                "strongroom.services.keys-url", keys.baseUrl(),
                "strongroom.secrets.kms.client-id", clientId,
                "strongroom.secrets.kms.client-secret", clientSecret);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withConverter(Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .withMapping(SecretsConfig.class)
                .build();
        return config.getConfigMapping(SecretsConfig.class);
    }

    private static JsonNode post(String url, String token, String type, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(url + " answered " + answer.body()).isBetween(200, 299);
        return JSON.readTree(answer.body());
    }
}
