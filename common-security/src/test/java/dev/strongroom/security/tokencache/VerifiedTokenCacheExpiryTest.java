package dev.strongroom.security.tokencache;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import dev.strongroom.testing.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A cached token stops working at its {@code exp}: the cache never answers for it afterwards. (Without clock-skew
 * grace here, so quarkus-oidc's own verdict on the expired token is visible at once.)
 */
@QuarkusTest
@TestProfile(VerifiedTokenCacheExpiryTest.NoGrace.class)
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
class VerifiedTokenCacheExpiryTest {

    public static class NoGrace implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc.token.lifespan-grace", "0");
        }
    }

    @Inject
    MeterRegistry registry;

    @Test
    void anExpiredTokenIsRefusedEvenThoughItWasCached() throws Exception {
        // The service fetches its JWKS first, so the short-lived token is not spent waiting for it.
        given().auth().oauth2(TestTokens.token("warm-up", "user")).get("/v1/callers/me").then().statusCode(200);
        String token = TestTokens.builder().name("lena").expiresIn(Duration.ofSeconds(5)).sign();
        long exp = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8))
                .getLong("exp");
        given().auth().oauth2(token).get("/v1/callers/me").then().statusCode(200);
        double hits = count("hit");
        given().auth().oauth2(token).get("/v1/callers/me").then().statusCode(200);
        assertEquals(hits + 1, count("hit"));

        Thread.sleep(Math.max(0, exp * 1000 - System.currentTimeMillis()) + 1100);

        given().auth().oauth2(token).get("/v1/callers/me").then()
                .statusCode(401)
                .contentType("application/problem+json");
        assertEquals(hits + 1, count("hit"), "the cache did not answer for an expired token");
    }

    private double count(String result) {
        return registry.counter("strongroom.security.token.cache", "result", result).count();
    }
}
