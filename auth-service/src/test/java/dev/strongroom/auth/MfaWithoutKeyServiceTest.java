package dev.strongroom.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.crypto.envelope.Envelope;
import dev.strongroom.crypto.keys.KeyCiphertext;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.LocalIssuer;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * key-service unreachable (docs/auth.md, "key-service unreachable or refusing"): TOTP enrolment answers 503
 * {@code mfa-unavailable} as problem+json and changes nothing; password-only logins are unaffected; a login
 * with a one-time code that cannot be checked answers 503 too, is audited, and is not counted as a failure.
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
            return Map.of("strongroom.services.keys-url", "http://127.0.0.1:" + LocalIssuer.freePort(),
                    "strongroom.auth.kms.timeout", "2s");
        }
    }

    @Test
    void enrolmentAnswers503ProblemAndChangesNothing() {
        String name = Api.uniqueName("nokms");
        Api.register(name);
        String access = Api.tokens(name)[0];

        for (int attempt = 0; attempt < 2; attempt++) {
            given().auth().oauth2(access).contentType("application/json").body(Map.of("password", Api.PASSWORD)).post("/v1/auth/mfa/totp").then()
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

    @Test
    void aCodeThatCannotBeCheckedAnswers503IsAuditedAndDoesNotCountTowardsTheLockout() throws Exception {
        String name = Api.uniqueName("nokms-mfa");
        String id = Api.register(name);
        enrolWithASecretOnlyKeyServiceCanOpen(id);

        Api.login(name, Api.PASSWORD).statusCode(401).body("type", endsWith("mfa-required"));
        // More attempts than the lockout threshold (5): none is counted, so none locks the account.
        for (int attempt = 0; attempt < 7; attempt++) {
            Api.login("203.0.113.9", name, Api.PASSWORD, "123456").statusCode(503)
                    .contentType(containsString("application/problem+json"))
                    .body("type", endsWith("mfa-unavailable"));
        }
        try (Connection c = AccountFlowTest.connect();
                PreparedStatement read = c.prepareStatement("SELECT failed_logins, locked_until FROM users WHERE id = ?")) {
            read.setString(1, id);
            try (ResultSet row = read.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getInt(1)).isZero();
                assertThat(row.getObject(2)).isNull();
            }
        }
        JsonNode failed = Api.awaitAudit("user.login_failed", name);
        assertThat(failed.path("data").path("outcome").asText()).isEqualTo("failure");
        assertThat(failed.path("data").path("reason").asText()).isIn("mfa required", "mfa unavailable");
        // one event per attempt (the relay may publish them in several batches: read again until all are there)
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Api.awaitRecords("strongroom.audit.v1",
                r -> r.value() != null
                        && "strongroom.user.login_failed".equals(r.value().path("type").asText())
                        && name.equals(r.value().path("data").path("resource").path("name").asText())
                        && "mfa unavailable".equals(r.value().path("data").path("reason").asText()), Duration.ofSeconds(15)))
                .hasSize(7));
    }

    /**
     * Stores an active TOTP secret as auth-service seals it (an envelope under the {@code totp} KEK) whose data
     * key is in no cache, so checking a code needs key-service to unwrap it.
     */
    private static void enrolWithASecretOnlyKeyServiceCanOpen(String userId) throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] wrappedKey = ByteBuffer.allocate(5 + 12 + 48).put(KeyCiphertext.FORMAT).putInt(1).array();
        byte[] tail = new byte[12 + 48];
        random.nextBytes(tail);
        System.arraycopy(tail, 0, wrappedKey, 5, tail.length);
        byte[] value = new byte[12 + 20 + 16];
        random.nextBytes(value);
        byte[] envelope = new Envelope(Envelope.FORMAT, "totp", 1, wrappedKey, value).toBytes();
        try (Connection c = AccountFlowTest.connect();
                PreparedStatement enrol = c.prepareStatement("UPDATE users SET totp_secret = ? WHERE id = ?")) {
            enrol.setBytes(1, envelope);
            enrol.setString(2, userId);
            assertThat(enrol.executeUpdate()).isEqualTo(1);
        }
    }
}
