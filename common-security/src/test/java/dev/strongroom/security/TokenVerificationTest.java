package dev.strongroom.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.LocalIssuer;
import dev.strongroom.testing.MariaDbTestResource;
import dev.strongroom.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

/** The security matrix every service inherits: good tokens pass, every bad one is a plain 401. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
class TokenVerificationTest {

    @Test
    void validTokenIdentifiesTheCaller() {
        String token = TestTokens.builder().name("ci-bot").subject("sa-1").type("service").roles("kms", "user").sessionId("s-1").sign();
        given().auth().oauth2(token).get("/v1/callers/me").then()
                .statusCode(200)
                .body("id", equalTo("sa-1"))
                .body("name", equalTo("ci-bot"))
                .body("type", equalTo("SERVICE"))
                .body("roles", containsInAnyOrder("kms", "user"))
                .body("sessionId", equalTo("s-1"));
    }

    @Test
    void rightRolePasses() {
        given().header("Authorization", TestTokens.bearer("root", "admin")).get("/v1/callers/admin-only").then()
                .statusCode(200);
    }

    @Test
    void wrongRoleIs403Problem() {
        given().header("Authorization", TestTokens.bearer("bob", "user")).get("/v1/callers/admin-only").then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strongroom.dev/problems/forbidden"));
    }

    @Test
    void noTokenIs401ProblemWithChallenge() {
        given().get("/v1/callers/me").then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("https://strongroom.dev/problems/unauthenticated"));
    }

    @Test
    void garbageTokenIs401() {
        assertRefused("not-a-jwt");
    }

    @Test
    void expiredTokenIs401() {
        assertRefused(TestTokens.builder().expiresIn(Duration.ofMinutes(-10)).sign());
    }

    @Inject
    MeterRegistry registry;

    /** The counter, 0 before the token cache (created at its first request) has registered it. */
    private double refusedUnverified() {
        Counter refused = registry.find("strongroom.security.token.refused.expired").counter();
        return refused == null ? 0 : refused.count();
    }

    @Test
    void aLongExpiredTokenIsRefusedWithoutVerifyingItsSignatureAndLooksTheSame() {
        double before = refusedUnverified();
        assertRefused(TestTokens.builder().expiresIn(Duration.ofMinutes(-10)).sign());
        // even with a signature nobody made: it is refused for its exp, like any other bad token
        String[] parts = TestTokens.builder().expiresIn(Duration.ofHours(-3)).sign().split("\\.");
        assertRefused(parts[0] + "." + parts[1] + ".AAAA");
        assertThat(refusedUnverified()).isEqualTo(before + 2);
    }

    @Test
    void aRecentlyExpiredTokenIsStillVerifiedInFullAndRefused() {
        // 45 s: past the 30 s lifespan grace, within the minute beyond it that the early refusal leaves alone
        double before = refusedUnverified();
        assertRefused(TestTokens.builder().expiresIn(Duration.ofSeconds(-45)).sign());
        given().header("Authorization", TestTokens.bearer("alice", "user")).get("/v1/callers/me").then().statusCode(200);
        assertThat(refusedUnverified()).isEqualTo(before);
    }

    @Test
    void foreignIssuerIs401() {
        assertRefused(TestTokens.builder().issuer("https://evil.example").sign());
    }

    @Test
    void wrongAudienceIs401() {
        assertRefused(TestTokens.builder().audience("someone-else").sign());
    }

    @Test
    void tamperedPayloadIs401() {
        String[] parts = TestTokens.token("mallory", "user").split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("\"user\"]", "\"admin\"]");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertRefused(forged);
    }

    @Test
    void unsignedAlgNoneTokenIs401() {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = TestTokens.token("mallory", "admin").split("\\.")[1];
        assertRefused(header + "." + payload + ".");
    }

    @Test
    void hs256ResignedWithThePublicKeyIs401() throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(TestTokens.builder().name("mallory").roles("admin").claims().toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKeyIdHeaderValue(TestTokens.key().getKeyId());
        jws.setKey(new HmacKey(TestTokens.key().getRsaPublicKey().getEncoded()));
        jws.setDoKeyValidation(false);
        assertRefused(jws.getCompactSerialization());
    }

    @Test
    void unknownKidIs401() {
        assertRefused(LocalIssuer.sign(TestTokens.builder().name("mallory").roles("admin").claims(), LocalIssuer.newKey()));
    }

    @Test
    void noSubjectIs401() {
        JwtClaims claims = TestTokens.builder().claims();
        claims.unsetClaim("sub");
        assertRefused(TestTokens.Builder.sign(claims));
    }

    private static void assertRefused(String token) {
        given().auth().oauth2(token).get("/v1/callers/me").then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("detail", equalTo("A valid access token is required: send Authorization: Bearer <access token>."));
    }
}
