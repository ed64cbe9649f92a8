package dev.strongroom.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Makes the app under test trust {@link TestTokens} (its JWKS over HTTP, issuer, audience) instead of auth-service. */
public class JwtTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "strongroom.auth.jwks-url", TestTokens.jwksUrl(),
                "strongroom.auth.issuer", TestTokens.ISSUER,
                "strongroom.auth.audience", TestTokens.AUDIENCE);
    }

    @Override
    public void stop() {}
}
