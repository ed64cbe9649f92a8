package dev.strongroom.security;

import static io.restassured.RestAssured.given;

import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.LocalIssuer;
import dev.strongroom.testing.MariaDbTestResource;
import dev.strongroom.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/**
 * A service starts before auth-service or a gateway's identity provider: their tokens are refused (401, not
 * 500) until the issuer answers, then accepted without a restart.
 */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwksLaterTest.NotYetThere.class)
class JwksLaterTest {

    @Test
    void keysAreFetchedOnceTheIssuerAnswers() {
        String token = LocalIssuer.sign(TestTokens.builder().name("early").claims(), NotYetThere.KEY);
        given().auth().oauth2(token).get("/v1/callers/me").then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().get("/q/health/live").then().statusCode(200);

        try (LocalIssuer issuer = LocalIssuer.start("later", TestTokens.ISSUER, NotYetThere.KEY, NotYetThere.port)) {
            given().auth().oauth2(token).get("/v1/callers/me").then().statusCode(200);
            given().auth().oauth2(token).get("/v1/callers/me").then().statusCode(200);
            org.assertj.core.api.Assertions.assertThat(issuer.jwksRequests()).isEqualTo(1);
        }
    }

    @Test
    void aGatewayIssuerDownAtStartUpIsConnectedOnALaterRequest() {
        String issuer = "http://127.0.0.1:" + NotYetThere.gatewayPort + "/realms/late";
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience("strongroom");
        claims.setSubject("u-1");
        claims.setClaim("preferred_username", "alice");
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(5);
        String token = LocalIssuer.sign(claims, NotYetThere.GATEWAY_KEY);
        given().auth().oauth2(token).get("/v1/callers/me").then()
                .statusCode(401)
                .contentType("application/problem+json");

        try (LocalIssuer late = LocalIssuer.start("late", null, NotYetThere.GATEWAY_KEY, NotYetThere.gatewayPort)) {
            given().auth().oauth2(token).get("/v1/callers/me").then()
                    .statusCode(200)
                    .body("name", org.hamcrest.Matchers.equalTo("alice@late"));
        }
    }

    /** Points the app at a JWKS URL and a gateway issuer on free ports where nothing listens yet. */
    public static class NotYetThere implements QuarkusTestResourceLifecycleManager {
        static final RsaJsonWebKey KEY = LocalIssuer.newKey();
        static final RsaJsonWebKey GATEWAY_KEY = LocalIssuer.newKey();
        static int port;
        static int gatewayPort;

        @Override
        public Map<String, String> start() {
            port = LocalIssuer.freePort();
            gatewayPort = LocalIssuer.freePort();
            String gateway = "http://127.0.0.1:" + gatewayPort + "/realms/late";
            return Map.of("strongroom.auth.jwks-url", LocalIssuer.jwksUrl(port, "later"),
                    "strongroom.auth.issuer", TestTokens.ISSUER,
                    "strongroom.auth.audience", TestTokens.AUDIENCE,
                    "quarkus.oidc.late.auth-server-url", gateway,
                    "quarkus.oidc.late.token.issuer", gateway,
                    "quarkus.oidc.late.token.audience", "strongroom");
        }

        @Override
        public void stop() {}
    }
}
