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
import org.junit.jupiter.api.Test;

/** A service starts before auth-service: tokens are refused (401, not 500) until the JWKS answers, then accepted. */
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

    /** Points the app at a JWKS URL on a free port where nothing listens yet. */
    public static class NotYetThere implements QuarkusTestResourceLifecycleManager {
        static final RsaJsonWebKey KEY = LocalIssuer.newKey();
        static int port;

        @Override
        public Map<String, String> start() {
            port = LocalIssuer.freePort();
            return Map.of("strongroom.auth.jwks-url", LocalIssuer.jwksUrl(port, "later"),
                    "strongroom.auth.issuer", TestTokens.ISSUER,
                    "strongroom.auth.audience", TestTokens.AUDIENCE);
        }

        @Override
        public void stop() {}
    }
}
