package dev.strongroom.sharing;

import dev.strongroom.testing.KafkaBroker;
import dev.strongroom.testing.KeyServiceTestResource;
import dev.strongroom.testing.ServiceProcess;
import dev.strongroom.testing.TestDatabase;
import dev.strongroom.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A real secrets-service (and the key-service it needs) for sharing-service's tests: the packaged jars as child
 * processes with their own fresh databases, the JVM's Kafka broker and {@link TestTokens}' JWKS. Gives the app
 * {@code strongroom.services.secrets-url} and a sharing-service service token (role {@code sharing}) as its identity.
 */
public class SecretsServiceTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile ServiceProcess current;

    private final KeyServiceTestResource keys = new KeyServiceTestResource();
    private ServiceProcess secrets;
    private TestDatabase database;

    @Override
    public Map<String, String> start() {
        keys.init(Map.of("token-property", "strongroom.secrets.kms.token"));
        Map<String, String> keyConfig = keys.start();
        database = TestDatabase.create("secrets");
        Map<String, String> properties = new HashMap<>(database.quarkusConfig());
        properties.putAll(keyConfig);
        properties.put("strongroom.kafka.bootstrap", KafkaBroker.shared().bootstrapServers());
        properties.put("strongroom.auth.jwks-url", TestTokens.jwksUrl());
        properties.put("strongroom.auth.issuer", TestTokens.ISSUER);
        properties.put("strongroom.auth.audience", TestTokens.AUDIENCE);
        secrets = ServiceProcess.start("secrets-service", properties, Duration.ofSeconds(180));
        current = secrets;
        return Map.of(
                "strongroom.services.secrets-url", secrets.baseUrl(),
                "strongroom.sharing.identity.token", TestTokens.builder()
                        .name("sharing-service")
                        .type("service")
                        .roles("sharing")
                        .sessionId(null)
                        .expiresIn(Duration.ofMinutes(15))
                        .sign());
    }

    @Override
    public void stop() {
        if (secrets != null) {
            secrets.close();
        }
        current = null;
        if (database != null) {
            database.drop();
        }
        keys.stop();
    }

    /** The secrets-service of the running test app. */
    public static ServiceProcess current() {
        return current;
    }
}
