package dev.strongroom.security.tokencache;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strongroom.security.revocation.RevokedSessions;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import dev.strongroom.testing.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A verified token is answered from memory on its next request, without weakening any check that must apply per request. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
class VerifiedTokenCacheTest {

    @Inject
    MeterRegistry registry;
    @Inject
    RevokedSessions revokedSessions;

    @Test
    void theSecondRequestWithATokenReusesTheVerifiedIdentity() {
        String token = TestTokens.builder().name("erin").roles("user", "auditor").sign();
        double hits = count("hit");
        double misses = count("miss");

        given().auth().oauth2(token).get("/v1/callers/me").then().statusCode(200).body("name", equalTo("erin"));
        assertEquals(misses + 1, count("miss"));
        assertEquals(hits, count("hit"));

        given().auth().oauth2(token).get("/v1/callers/me").then()
                .statusCode(200)
                .body("name", equalTo("erin"))
                .body("id", equalTo("id-erin"))
                .body("roles.size()", equalTo(2));
        assertEquals(hits + 1, count("hit"));
        assertEquals(misses + 1, count("miss"));
    }

    @Test
    void aCachedTokenStillObeysItsRoles() {
        String token = TestTokens.builder().name("frank").roles("user").sign();
        given().auth().oauth2(token).get("/v1/callers/me").then().statusCode(200);
        double hits = count("hit");
        given().auth().oauth2(token).get("/v1/callers/admin-only").then().statusCode(403);
        assertEquals(hits + 1, count("hit"));
    }

    @Test
    void aTamperedCopyOfACachedTokenIsAMissAndRefused() {
        String token = TestTokens.builder().name("grace").sign();
        given().auth().oauth2(token).get("/v1/callers/me").then().statusCode(200);
        double hits = count("hit");
        double misses = count("miss");

        int last = token.length() - 2; // a signature character
        String tampered = token.substring(0, last) + (token.charAt(last) == 'A' ? 'B' : 'A') + token.substring(last + 1);
        given().auth().oauth2(tampered).get("/v1/callers/me").then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().auth().oauth2(token + "x").get("/v1/callers/me").then().statusCode(401);

        assertEquals(hits, count("hit"));
        assertEquals(misses + 2, count("miss"));
        given().auth().oauth2(token).get("/v1/callers/me").then().statusCode(200);
        assertEquals(hits + 1, count("hit"));
    }

    @Test
    void aRevokedSessionIsRefusedEvenThoughItsTokenIsCached() {
        String sid = "s-" + UUID.randomUUID();
        String token = TestTokens.builder().name("heidi").sessionId(sid).sign();
        String other = TestTokens.builder().name("ivan").sign();
        given().auth().oauth2(token).get("/v1/callers/me").then().statusCode(200);
        given().auth().oauth2(other).get("/v1/callers/me").then().statusCode(200);
        double hits = count("hit");

        revokedSessions.revoke(sid, System.currentTimeMillis() + 60_000);

        given().auth().oauth2(token).get("/v1/callers/me").then()
                .statusCode(401)
                .contentType("application/problem+json");
        assertEquals(hits + 1, count("hit"), "the refusal came from a cache hit");
        given().auth().oauth2(other).get("/v1/callers/me").then().statusCode(200).body("name", equalTo("ivan"));
    }

    @Test
    void aRefusedTokenIsNeverCached() {
        String wrongAudience = TestTokens.builder().name("mallory").audience("another-service").sign();
        double hits = count("hit");
        double misses = count("miss");
        given().auth().oauth2(wrongAudience).get("/v1/callers/me").then().statusCode(401);
        given().auth().oauth2(wrongAudience).get("/v1/callers/me").then().statusCode(401);
        assertEquals(hits, count("hit"), "refusals are never answered from the cache");
        assertEquals(misses + 2, count("miss"));
    }

    @Test
    void metricsCountHitsAndMissesWithoutNamingTokens() {
        String token = TestTokens.builder().name("judy").sign();
        given().auth().oauth2(token).get("/v1/callers/me").then().statusCode(200);
        given().auth().oauth2(token).get("/v1/callers/me").then().statusCode(200);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("strongroom_security_token_cache_total{result=\"hit\"}"), metrics);
        assertTrue(metrics.contains("strongroom_security_token_cache_total{result=\"miss\"}"));
        assertFalse(metrics.contains(token.substring(token.lastIndexOf('.') + 1)));
        assertFalse(metrics.contains(VerifiedTokenCache.key("Default", token).substring("Default:".length())));
    }

    @Test
    void oneTokenUnderTwoTenantsHasTwoKeys() {
        String token = TestTokens.token("kim", "user");
        assertNotEquals(VerifiedTokenCache.key("Default", token), VerifiedTokenCache.key("keycloak", token));
        assertEquals(VerifiedTokenCache.key("Default", token), VerifiedTokenCache.key("Default", token));
        assertFalse(VerifiedTokenCache.key("Default", token).contains(token));
    }

    private double count(String result) {
        return registry.counter("strongroom.security.token.cache", "result", result).count();
    }
}
