package dev.strongroom.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * key-service unreachable (docs/auth.md, "key-service unreachable or refusing"): TOTP enrolment answers 503
 * {@code mfa-unavailable} as problem+json and changes nothing; password-only logins are unaffected.
 */
@QuarkusTest
@TestProfile(MfaWithoutKeyServiceTest.KeyServiceDown.class)
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KubernetesIssuer.class)
class MfaWithoutKeyServiceTest {

    /** key-service's address is a port nothing listens on. */
    public static class KeyServiceDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("strongroom.services.keys-url", "http://127.0.0.1:" + closedPort(),
                    "strongroom.auth.kms.timeout", "2s");
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void enrolmentAnswers503ProblemAndChangesNothing() {
        String name = Api.uniqueName("nokms");
        Api.register(name);
        String access = Api.tokens(name)[0];

        for (int attempt = 0; attempt < 2; attempt++) {
            given().auth().oauth2(access).post("/v1/auth/mfa/totp").then()
                    .statusCode(503)
                    .contentType(containsString("application/problem+json"))
                    .body("type", endsWith("mfa-unavailable"))
                    .body("status", equalTo(503))
                    .body("secret", nullValue())
                    .body("otpauthUri", nullValue());
        }

        // No enrolment was started: there is nothing to confirm, and the password alone still logs in.
        given().auth().oauth2(access).contentType("application/json").body(Map.of("code", "123456"))
                .post("/v1/auth/mfa/totp/confirm").then().statusCode(409).body("type", endsWith("no-enrolment"));
        Api.login(name, Api.PASSWORD).statusCode(200).body("accessToken", not(nullValue()));
    }
}
