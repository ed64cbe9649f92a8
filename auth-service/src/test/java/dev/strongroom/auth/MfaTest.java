package dev.strongroom.auth;

import static dev.strongroom.auth.Api.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.strongroom.auth.service.Base32;
import dev.strongroom.auth.service.Totp;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.KeyServiceTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** TOTP enrolment with QR code, MFA at login, replay refusal, recovery codes, removal. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KubernetesIssuer.class)
@WithTestResource(value = KeyServiceTestResource.class, initArgs = {
        @ResourceArg(name = "keks", value = "totp"),
        @ResourceArg(name = "token-property", value = "strongroom.auth.kms.token"),
        @ResourceArg(name = "token-name", value = "auth-service")})
class MfaTest {

    @Test
    void enrolsConfirmsAndThenRequiresACodeAtLogin() throws Exception {
        String name = Api.uniqueName("mfa");
        Api.register(name);
        String access = Api.tokens(name)[0];

        ExtractableResponse<Response> enrolment = given().auth().oauth2(access).contentType("application/json").body(Map.of("password", Api.PASSWORD)).post("/v1/auth/mfa/totp").then()
                .statusCode(200).extract();
        String secret = enrolment.path("secret");
        String uri = enrolment.path("otpauthUri");
        assertThat(uri).startsWith("otpauth://totp/Strongroom:" + name + "?secret=" + secret).contains("issuer=Strongroom")
                .contains("period=30").contains("digits=6");
        byte[] png = Base64.getDecoder().decode((String) enrolment.path("qrPng"));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isGreaterThanOrEqualTo(200);
        byte[] key = Base32.decode(secret);
        assertThat(key).hasSize(20);

        given().auth().oauth2(access).contentType("application/json").body(Map.of("code", "000000"))
                .post("/v1/auth/mfa/totp/confirm").then().statusCode(422);
        long now = Totp.step(System.currentTimeMillis() / 1000);
        List<String> recovery = given().auth().oauth2(access).contentType("application/json")
                .body(Map.of("code", Totp.code(key, now, 6, "HmacSHA1")))
                .post("/v1/auth/mfa/totp/confirm").then()
                .statusCode(200)
                .body("recoveryCodes", hasSize(10))
                .extract().path("recoveryCodes");
        assertThat(new HashSet<>(recovery)).hasSize(10);
        Api.awaitAudit("user.mfa_enabled", name);
        given().auth().oauth2(access).get("/v1/auth/me").then().body("mfaEnabled", equalTo(true));

        String ip = Api.newIp();
        Api.login(ip, name, PASSWORD, null).statusCode(401)
                .body("type", equalTo("https://strongroom.dev/problems/mfa-required"));
        // The confirmation code's step is used: the same code is a replay.
        Api.login(ip, name, PASSWORD, Totp.code(key, now, 6, "HmacSHA1")).statusCode(401)
                .body("type", equalTo("https://strongroom.dev/problems/invalid-credentials"));
        // The next step's code is inside the ±1 window, and then it is used up too.
        String next = Totp.code(key, now + 1, 6, "HmacSHA1");
        Api.login(ip, name, PASSWORD, next).statusCode(200);
        Api.login(ip, name, PASSWORD, next).statusCode(401);
        // Two steps ahead is outside the window.
        Api.login(ip, name, PASSWORD, Totp.code(key, now + 3, 6, "HmacSHA1")).statusCode(401);

        // A recovery code works once, in any case and with or without dashes.
        String code = recovery.getFirst();
        Api.login(ip, name, PASSWORD, code.toUpperCase().replace("-", "")).statusCode(200);
        Api.login(ip, name, PASSWORD, code).statusCode(401);
        Api.awaitAudit("user.login_failed", name);
    }

    @Test
    void disablingNeedsAValidCode() {
        String name = Api.uniqueName("mfaoff");
        Api.register(name);
        String access = Api.tokens(name)[0];
        String secret = given().auth().oauth2(access).contentType("application/json").body(Map.of("password", Api.PASSWORD)).post("/v1/auth/mfa/totp").then().statusCode(200).extract().path("secret");
        byte[] key = Base32.decode(secret);
        long now = Totp.step(System.currentTimeMillis() / 1000);
        given().auth().oauth2(access).contentType("application/json").body(Map.of("code", Totp.code(key, now, 6, "HmacSHA1")))
                .post("/v1/auth/mfa/totp/confirm").then().statusCode(200);
        given().auth().oauth2(access).contentType("application/json").body(Map.of("password", Api.PASSWORD)).post("/v1/auth/mfa/totp").then().statusCode(409);

        given().auth().oauth2(access).contentType("application/json").body(Map.of("code", "123456"))
                .delete("/v1/auth/mfa/totp").then().statusCode(422);
        given().auth().oauth2(access).contentType("application/json").body(Map.of("code", Totp.code(key, now + 1, 6, "HmacSHA1")))
                .delete("/v1/auth/mfa/totp").then().statusCode(204);
        Api.awaitAudit("user.mfa_disabled", name);
        Api.login(name, PASSWORD).statusCode(200);
    }

    @Test
    void enrolmentNeedsTheCurrentPasswordAndAWrongOneCounts() throws Exception {
        String name = Api.uniqueName("mfapw");
        String id = Api.register(name);
        String access = Api.tokens(name)[0];
        given().auth().oauth2(access).contentType("application/json").body("{}").post("/v1/auth/mfa/totp").then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.hasItem("password"));
        given().auth().oauth2(access).contentType("application/json").body(Map.of("password", "not the password"))
                .post("/v1/auth/mfa/totp").then()
                .statusCode(401)
                .body("secret", org.hamcrest.Matchers.nullValue());
        assertThat(failedLogins(id)).isEqualTo(1);
        given().auth().oauth2(access).contentType("application/json").body(Map.of("password", PASSWORD))
                .post("/v1/auth/mfa/totp").then().statusCode(200);
    }

    @Test
    void wrongCodesAtConfirmationAndRemovalCountTowardsTheLockout() throws Exception {
        String name = Api.uniqueName("mfalock");
        String id = Api.register(name);
        String access = Api.tokens(name)[0];
        byte[] key = Base32.decode(given().auth().oauth2(access).contentType("application/json").body(Map.of("password", PASSWORD))
                .post("/v1/auth/mfa/totp").then().statusCode(200).extract().<String>path("secret"));
        long now = Totp.step(System.currentTimeMillis() / 1000);
        given().auth().oauth2(access).contentType("application/json").body(Map.of("code", Totp.code(key, now, 6, "HmacSHA1")))
                .post("/v1/auth/mfa/totp/confirm").then().statusCode(200);
        for (int i = 0; i < 5; i++) {
            given().auth().oauth2(access).contentType("application/json").body(Map.of("code", String.format("%06d", i)))
                    .delete("/v1/auth/mfa/totp").then().statusCode(422);
        }
        assertThat(failedLogins(id)).isEqualTo(5);
        // locked: even a right code does not remove MFA, and the password no longer logs in
        given().auth().oauth2(access).contentType("application/json").body(Map.of("code", Totp.code(key, now + 1, 6, "HmacSHA1")))
                .delete("/v1/auth/mfa/totp").then().statusCode(422);
        given().auth().oauth2(access).get("/v1/auth/me").then().statusCode(200).body("mfaEnabled", equalTo(true));
        Api.login(Api.newIp(), name, PASSWORD, Totp.code(key, now + 1, 6, "HmacSHA1")).statusCode(401);
        Api.awaitAudit("user.locked", name);
    }

    @Test
    void mfaRequestsAreRateLimitedPerAccount() {
        String name = Api.uniqueName("mfarate");
        Api.register(name);
        String access = Api.tokens(name)[0];
        String retryAfter = null;
        for (int i = 0; i < 12 && retryAfter == null; i++) {
            var answer = given().auth().oauth2(access).contentType("application/json").body(Map.of("code", "000000"))
                    .post("/v1/auth/mfa/totp/confirm").then().extract();
            if (answer.statusCode() == 429) {
                assertThat(answer.contentType()).startsWith("application/problem+json");
                retryAfter = answer.header("Retry-After");
            } else {
                assertThat(answer.statusCode()).isEqualTo(409);
            }
        }
        assertThat(retryAfter).as("a 429 within 12 requests of one account").isNotNull();
    }

    private static int failedLogins(String id) throws Exception {
        try (java.sql.Connection c = AccountFlowTest.connect();
                java.sql.PreparedStatement s = c.prepareStatement("SELECT failed_logins FROM users WHERE id = ?")) {
            s.setString(1, id);
            try (java.sql.ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getInt(1);
            }
        }
    }
}
