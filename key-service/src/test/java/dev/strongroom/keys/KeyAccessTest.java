package dev.strongroom.keys;

import static dev.strongroom.keys.KeyTestSupport.ADMIN;
import static dev.strongroom.keys.KeyTestSupport.KMS;
import static dev.strongroom.keys.KeyTestSupport.USER;
import static dev.strongroom.keys.KeyTestSupport.b64;
import static dev.strongroom.keys.KeyTestSupport.createKey;
import static dev.strongroom.keys.KeyTestSupport.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import dev.strongroom.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Who may do what: admins manage, admins and the kms role use keys, everyone else 403, no token 401. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(RootKeyTestResource.class)
class KeyAccessTest {

    private String name;
    private String ciphertext;

    @BeforeEach
    void key() {
        name = uniqueName("acl");
        createKey(name).statusCode(201);
        ciphertext = KeyTestSupport.call(KMS, name, "encrypt", Map.of("plaintext", b64("x"), "context", b64("c")))
                .statusCode(200).extract().path("ciphertext");
    }

    @Test
    void managementIsForAdminsOnly() {
        for (String auth : new String[] {KMS, USER, TestTokens.bearer("eve", "auditor")}) {
            assertThat(status(auth, "POST", "/v1/keys", Map.of("name", uniqueName("x")))).isEqualTo(403);
            assertThat(status(auth, "POST", "/v1/keys/" + name + "/rotate", null)).isEqualTo(403);
            assertThat(status(auth, "PATCH", "/v1/keys/" + name, Map.of("minDecryptionVersion", 1))).isEqualTo(403);
        }
        assertThat(status(ADMIN, "POST", "/v1/keys", Map.of("name", uniqueName("x")))).isEqualTo(201);
        assertThat(status(ADMIN, "POST", "/v1/keys/" + name + "/rotate", null)).isEqualTo(200);
        assertThat(status(ADMIN, "PATCH", "/v1/keys/" + name, Map.of("minDecryptionVersion", 1))).isEqualTo(200);
    }

    @Test
    void readingAndCryptoAreForAdminsAndTheKmsRole() {
        Map<String, Map<String, String>> operations = Map.of(
                "encrypt", Map.of("plaintext", b64("x"), "context", b64("c")),
                "decrypt", Map.of("ciphertext", ciphertext, "context", b64("c")),
                "rewrap", Map.of("ciphertext", ciphertext, "context", b64("c")),
                "datakey", Map.of("context", b64("c")));
        for (var op : operations.entrySet()) {
            String path = "/v1/keys/" + name + "/" + op.getKey();
            assertThat(status(KMS, "POST", path, op.getValue())).as("kms %s", op.getKey()).isEqualTo(200);
            assertThat(status(ADMIN, "POST", path, op.getValue())).as("admin %s", op.getKey()).isEqualTo(200);
            assertThat(status(USER, "POST", path, op.getValue())).as("user %s", op.getKey()).isEqualTo(403);
            assertThat(status(null, "POST", path, op.getValue())).as("anonymous %s", op.getKey()).isEqualTo(401);
        }
        for (String path : new String[] {"/v1/keys", "/v1/keys/" + name}) {
            assertThat(status(KMS, "GET", path, null)).isEqualTo(200);
            assertThat(status(ADMIN, "GET", path, null)).isEqualTo(200);
            assertThat(status(USER, "GET", path, null)).isEqualTo(403);
            assertThat(status(null, "GET", path, null)).isEqualTo(401);
        }
    }

    @Test
    void noTokenOrABadTokenIs401ProblemEverywhere() {
        String expired = TestTokens.builder().name("root").roles("admin").expiresIn(Duration.ofSeconds(-120)).sign();
        String wrongIssuer = TestTokens.builder().name("root").roles("admin").issuer("someone-else").sign();
        String tampered = TestTokens.token("root", "admin");
        tampered = tampered.substring(0, tampered.length() - 4) + (tampered.endsWith("AAAA") ? "BBBB" : "AAAA");
        for (String auth : new String[] {null, "Bearer " + expired, "Bearer " + wrongIssuer, "Bearer " + tampered, "Bearer nonsense"}) {
            assertThat(status(auth, "POST", "/v1/keys", Map.of("name", uniqueName("x")))).isEqualTo(401);
            assertThat(status(auth, "POST", "/v1/keys/" + name + "/rotate", null)).isEqualTo(401);
            assertThat(status(auth, "PATCH", "/v1/keys/" + name, Map.of("minDecryptionVersion", 1))).isEqualTo(401);
            assertThat(status(auth, "GET", "/v1/keys", null)).isEqualTo(401);
            assertThat(status(auth, "POST", "/v1/keys/" + name + "/decrypt", Map.of("ciphertext", ciphertext, "context", b64("c"))))
                    .isEqualTo(401);
        }
        given().post("/v1/keys/" + name + "/rotate").then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
    }

    private static int status(String auth, String method, String path, Object body) {
        RequestSpecification request = given();
        if (auth != null) {
            request.header("Authorization", auth);
        }
        if (body != null) {
            request.contentType(ContentType.JSON).body(body);
        }
        return request.request(method, path).then().extract().statusCode();
    }
}
