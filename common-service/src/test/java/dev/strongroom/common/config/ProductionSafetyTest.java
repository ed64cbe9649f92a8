package dev.strongroom.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The production start-up refusals: root or password-less database accounts and plain-HTTP calls off the host. */
class ProductionSafetyTest {

    private static final String SECRET = "s3cr3t-db-passw0rd";

    private static Map<String, String> safe() {
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.username", "strongroom_keys");
        config.put("quarkus.datasource.password", SECRET);
        config.put("strongroom.auth.jwks-url", "https://auth-service:8081/v1/auth/jwks");
        config.put("strongroom.services.keys-url", "https://key-service:8085");
        return config;
    }

    private static List<String> problems(Map<String, String> config) {
        return ProductionSafety.problems(key -> Optional.ofNullable(config.get(key)).filter(value -> !value.isEmpty()));
    }

    @Test
    void aServiceAccountWithAPasswordAndHttpsCallsStart() {
        assertThat(problems(safe())).isEmpty();
    }

    @Test
    void rootOrAnEmptyPasswordIsRefusedWithoutTheOptInAndTheMessageNamesTheSettings() {
        Map<String, String> root = safe();
        root.put("quarkus.datasource.username", "root");
        assertThat(problems(root)).singleElement().asString()
                .contains("root", "strongroom.db.user", ProductionSafety.ALLOW_INSECURE_DB);

        Map<String, String> empty = safe();
        empty.put("quarkus.datasource.password", "");
        assertThat(problems(empty)).singleElement().asString().contains("password is empty", "strongroom.db.password");

        Map<String, String> defaults = safe();
        defaults.put("quarkus.datasource.username", "root");
        defaults.remove("quarkus.datasource.password");
        assertThat(problems(defaults)).hasSize(2);
    }

    @Test
    void theMessageNeverCarriesThePassword() {
        Map<String, String> root = safe();
        root.put("quarkus.datasource.username", "root");
        root.put("strongroom.services.keys-url", "http://key-service:8085");
        assertThat(String.join(" ", problems(root))).doesNotContain(SECRET);
    }

    @Test
    void theExplicitOptInAllowsTheLocalDatabaseAccount() {
        Map<String, String> local = safe();
        local.put("quarkus.datasource.username", "root");
        local.remove("quarkus.datasource.password");
        local.put(ProductionSafety.ALLOW_INSECURE_DB, "true");
        assertThat(problems(local)).isEmpty();
    }

    @Test
    void plainHttpJwksOrServiceUrlsToAnotherHostAreRefusedUnlessAllowed() {
        Map<String, String> jwks = safe();
        jwks.put("strongroom.auth.jwks-url", "http://auth-service:8081/v1/auth/jwks");
        assertThat(problems(jwks)).singleElement().asString()
                .contains("strongroom.auth.jwks-url", "https://", ProductionSafety.ALLOW_PLAIN_HTTP);

        Map<String, String> token = safe();
        token.put("strongroom.services.auth-url", "HTTP://10.0.0.7:8081");
        assertThat(problems(token)).singleElement().asString().contains("strongroom.services.auth-url");

        jwks.put(ProductionSafety.ALLOW_PLAIN_HTTP, "true");
        assertThat(problems(jwks)).isEmpty();
    }

    @Test
    void theLoopbackMayBePlainHttp() {
        for (String url : List.of("http://127.0.0.1:8081/v1/auth/jwks", "http://localhost:8081", "http://127.1.2.3:1",
                "http://[::1]:8085")) {
            Map<String, String> local = safe();
            local.put("strongroom.auth.jwks-url", url);
            assertThat(problems(local)).as(url).isEmpty();
        }
        for (String url : List.of("http://127.0.0.1.evil.example:8081", "http://localhost.example", "ftp://auth", "not a url")) {
            Map<String, String> remote = safe();
            remote.put("strongroom.auth.jwks-url", url);
            assertThat(problems(remote)).as(url).hasSize(1);
        }
    }
}
