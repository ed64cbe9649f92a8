package dev.strongroom.secrets;

import static dev.strongroom.secrets.Api.as;
import static dev.strongroom.secrets.Api.create;
import static dev.strongroom.secrets.Api.plaintext;
import static dev.strongroom.secrets.Api.reveal;
import static dev.strongroom.secrets.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.testing.AppDatabase;
import dev.strongroom.testing.AuditTopic;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.KeyServiceTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import dev.strongroom.testing.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code POST /v1/secrets/rewrap} against a real key-service: after the KEK rotates, every kept version's data key
 * is wrapped again under the new primary, the value ciphertext stays byte for byte the same, and once the KEK's
 * minDecryptionVersion is raised every value still opens. The key-service is this class's own (its init args differ
 * from every other test's), since raising minDecryptionVersion would break other classes' stored values.
 */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(value = KeyServiceTestResource.class, initArgs = {
        @ResourceArg(name = "token-property", value = "strongroom.secrets.kms.token"),
        @ResourceArg(name = "keks", value = "secrets"),
        @ResourceArg(name = "purpose", value = "rewrap")})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecretRewrapTest {

    private static JsonPath rewrap() {
        return as("root", "admin").post("/v1/secrets/rewrap?batch=2").then().statusCode(200).extract().jsonPath();
    }

    @Test
    @Order(1)
    void rewrapsEveryVersionUnderTheNewPrimaryAndValuesOpenAfterMinDecryptionVersionIsRaised() throws Exception {
        String v1 = plaintext("rewrap one");
        String v2 = plaintext("rewrap two");
        String other = plaintext("rewrap other");
        String first = create("carol", uniqueName("rewrap"), "production", v1);
        as("carol").body(Map.of("value", v2)).put("/v1/secrets/" + first + "/value").then().statusCode(200);
        String second = create("dave", uniqueName("rewrap"), "staging", other);
        String destroyed = create("dave", uniqueName("rewrap-destroyed"), "staging", plaintext("rewrap destroyed"));
        as("dave").body(Map.of("value", plaintext("rewrap destroyed 2"))).put("/v1/secrets/" + destroyed + "/value")
                .then().statusCode(200);
        as("dave").delete("/v1/secrets/" + destroyed + "/versions/1").then().statusCode(204);

        List<Row> before = rows();
        assertThat(before).isNotEmpty().allMatch(r -> r.kekVersion == 1);

        assertThat(keyService("POST", "/v1/keys/secrets/rotate", null).statusCode()).isEqualTo(200);

        JsonPath report = rewrap();
        assertThat(report.getString("kekName")).isEqualTo("secrets");
        assertThat(report.getInt("kekVersion")).isEqualTo(2);
        assertThat(report.getLong("rewrapped")).isEqualTo(before.size());
        assertThat(report.getLong("checked")).isEqualTo(before.size());
        assertThat(report.getLong("failed")).isZero();
        assertThat(report.getLong("behind")).isZero();

        List<Row> after = rows();
        assertThat(after).hasSameSizeAs(before).allMatch(r -> r.kekVersion == 2);
        for (int i = 0; i < before.size(); i++) {
            Row was = before.get(i);
            Row now = after.get(i);
            assertThat(now.id).isEqualTo(was.id);
            assertThat(now.ciphertext).isNotEqualTo(was.ciphertext);
            // the value ciphertext (GCM tag at the end) is unchanged: only the wrapped data key moved
            assertThat(Arrays.copyOfRange(now.ciphertext, now.ciphertext.length - 16, now.ciphertext.length))
                    .isEqualTo(Arrays.copyOfRange(was.ciphertext, was.ciphertext.length - 16, was.ciphertext.length));
        }

        HttpResponse<String> raised = keyService("PATCH", "/v1/keys/secrets", "{\"minDecryptionVersion\":2}");
        assertThat(raised.statusCode()).as(raised.body()).isEqualTo(200);

        reveal("carol", first).statusCode(200).body("value", equalTo(v2)).body("version", equalTo(2));
        as("carol").get("/v1/secrets/" + first + "/value?version=1").then().statusCode(200).body("value", equalTo(v1));
        reveal("dave", second).statusCode(200).body("value", equalTo(other));
        JsonPath integrity = as("root", "admin").get("/v1/secrets/integrity").then().statusCode(200).extract().jsonPath();
        assertThat(integrity.getBoolean("ok")).isTrue();

        JsonNode event = AuditTopic.await("secret.rewrapped", "key/secrets", e -> e.path("data").path("details").path("rewrapped").asLong() > 0);
        assertThat(event.path("data").path("outcome").asText()).isEqualTo("success");
        assertThat(event.path("data").path("actor").path("name").asText()).isEqualTo("root");
        assertThat(event.path("data").path("details").path("checked").asLong()).isEqualTo(before.size());
        assertThat(event.toString()).doesNotContain(v1, v2, other);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("strongroom_secrets_rewrap_versions_total{outcome=\"rewrapped\"}");
    }

    @Test
    @Order(2)
    void aSecondRunFindsEverythingCurrent() {
        String value = plaintext("rewrap later");
        String id = create("carol", uniqueName("rewrap-later"), "production", value);
        JsonPath report = rewrap();
        assertThat(report.getLong("rewrapped")).isZero();
        assertThat(report.getLong("behind")).isZero();
        assertThat(report.getLong("failed")).isZero();
        reveal("carol", id).statusCode(200).body("value", equalTo(value));
    }

    @Test
    void badBatchIsAProblemAndOnlyAdminsMayRunIt() {
        for (String bad : List.of("0", "1001", "abc", "-1")) {
            as("root", "admin").post("/v1/secrets/rewrap?batch=" + bad).then()
                    .statusCode(422)
                    .contentType("application/problem+json")
                    .body("type", org.hamcrest.Matchers.endsWith("validation-failed"));
        }
        as("carol").post("/v1/secrets/rewrap").then().statusCode(403).contentType("application/problem+json");
        given().post("/v1/secrets/rewrap").then().statusCode(401);
    }

    private record Row(String id, byte[] ciphertext, int kekVersion) {}

    /** Every undestroyed version, in (id, version) order. */
    private static List<Row> rows() throws Exception {
        List<Row> rows = new ArrayList<>();
        try (Connection c = AppDatabase.connect();
                PreparedStatement s = c.prepareStatement("SELECT HEX(secret_id), version, ciphertext, kek_version FROM secret_version"
                        + " WHERE ciphertext IS NOT NULL ORDER BY secret_id, version");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                rows.add(new Row(r.getString(1) + "/" + r.getInt(2), r.getBytes(3), r.getInt(4)));
            }
        }
        return rows;
    }

    private static HttpResponse<String> keyService(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(KeyServiceTestResource.current().baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", TestTokens.bearer("test-admin", "admin"))
                .header("Content-Type", "application/json");
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
