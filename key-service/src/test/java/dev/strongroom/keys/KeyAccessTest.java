package dev.strongroom.keys;

import static dev.strongroom.keys.KeyTestSupport.ADMIN;
import static dev.strongroom.keys.KeyTestSupport.KMS;
import static dev.strongroom.keys.KeyTestSupport.OTHER_KMS;
import static dev.strongroom.keys.KeyTestSupport.USER;
import static dev.strongroom.keys.KeyTestSupport.b64;
import static dev.strongroom.keys.KeyTestSupport.createKey;
import static dev.strongroom.keys.KeyTestSupport.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strongroom.testing.AuditTopicReader;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import dev.strongroom.testing.PrometheusText;
import dev.strongroom.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Who may do what: admins manage, kms callers use the keys granted to them (admins none), everyone else 403, no token 401. */
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
                .log().ifValidationFails()
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
    void cryptoIsOnlyForCallersGrantedTheKeyNotForAdmins() {
        Map<String, Map<String, String>> operations = operations();
        for (var op : operations.entrySet()) {
            String path = "/v1/keys/" + name + "/" + op.getKey();
            given().header("Authorization", KMS).contentType(ContentType.JSON).body(op.getValue()).post(path).then().log().ifValidationFails().statusCode(200);
            assertThat(status(OTHER_KMS, "POST", path, op.getValue())).as("kms not granted %s", op.getKey()).isEqualTo(403);
            // the same name as a person, not the service: grants name principals
            assertThat(status(TestTokens.bearer("secrets-service", "kms"), "POST", path, op.getValue()))
                    .as("user:secrets-service %s", op.getKey()).isEqualTo(403);
            assertThat(status(ADMIN, "POST", path, op.getValue())).as("admin %s", op.getKey()).isEqualTo(403);
            assertThat(status(USER, "POST", path, op.getValue())).as("user %s", op.getKey()).isEqualTo(403);
            assertThat(status(null, "POST", path, op.getValue())).as("anonymous %s", op.getKey()).isEqualTo(401);
        }
        // other-service is granted declared-*: it works there, and a missing key it is not granted is 403, not 404
        assertThat(status(OTHER_KMS, "POST", "/v1/keys/declared-at-start/datakey", Map.of())).isEqualTo(200);
        assertThat(status(OTHER_KMS, "POST", "/v1/keys/no-such-" + name + "/datakey", Map.of())).isEqualTo(403);
        given().header("Authorization", OTHER_KMS).contentType(ContentType.JSON).body(Map.of("ciphertext", ciphertext, "context", b64("c")))
                .post("/v1/keys/" + name + "/decrypt").then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("plaintext", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void everyRefusalIsAuditedAndCounted() throws Exception {
        double before = deniedCount("decrypt");
        assertThat(status(ADMIN, "POST", "/v1/keys/" + name + "/decrypt", Map.of("ciphertext", ciphertext, "context", b64("c"))))
                .isEqualTo(403);
        assertThat(status(OTHER_KMS, "POST", "/v1/keys/" + name + "/datakey", Map.of())).isEqualTo(403);
        assertThat(deniedCount("decrypt")).isEqualTo(before + 1);
        assertThat(deniedCount("datakey")).isPositive();
        try (AuditTopicReader topic = new AuditTopicReader()) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> denials(topic).size() >= 2);
            List<com.fasterxml.jackson.databind.JsonNode> denials = denials(topic);
            assertThat(denials).extracting(e -> e.path("data").path("actor").path("name").asText())
                    .containsExactlyInAnyOrder("root", "other-service");
            assertThat(denials).extracting(e -> e.path("data").path("details").path("operation").asText())
                    .containsExactlyInAnyOrder("decrypt", "datakey");
            assertThat(denials).allSatisfy(e -> assertThat(e.toString()).doesNotContain(ciphertext));
        }
    }

    private List<com.fasterxml.jackson.databind.JsonNode> denials(AuditTopicReader topic) throws Exception {
        List<com.fasterxml.jackson.databind.JsonNode> found = new java.util.ArrayList<>();
        for (String value : topic.values()) {
            com.fasterxml.jackson.databind.JsonNode event = new com.fasterxml.jackson.databind.ObjectMapper().readTree(value);
            if (event.path("type").asText().equals("strongroom.key.access_denied") && event.path("subject").asText().equals("key/" + name)) {
                found.add(event);
            }
        }
        return found;
    }

    private static double deniedCount(String operation) {
        return PrometheusText.scrape("strongroom_kms_operations_total", "operation=\"" + operation + "\"", "outcome=\"denied\"");
    }

    private Map<String, Map<String, String>> operations() {
        return Map.of(
                "encrypt", Map.of("plaintext", b64("x"), "context", b64("c")),
                "decrypt", Map.of("ciphertext", ciphertext, "context", b64("c")),
                "rewrap", Map.of("ciphertext", ciphertext, "context", b64("c")),
                "datakey", Map.of("context", b64("c")));
    }

    @Test
    void readingKeysIsForAdminsAndTheKmsRole() {
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
