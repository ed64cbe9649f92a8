package dev.strongroom.keys;

import static dev.strongroom.keys.KeyTestSupport.ADMIN;
import static dev.strongroom.keys.KeyTestSupport.KMS;
import static dev.strongroom.keys.KeyTestSupport.b64;
import static dev.strongroom.keys.KeyTestSupport.call;
import static dev.strongroom.keys.KeyTestSupport.createKey;
import static dev.strongroom.keys.KeyTestSupport.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strongroom.testing.AuditTopicReader;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Management operations reach the audit topic as key.created / key.rotated / key.updated, without key material. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(RootKeyTestResource.class)
class KeyAuditTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void managementOperationsAreAuditedWithoutKeyMaterial() throws Exception {
        String name = uniqueName("audited");
        createKey(name).statusCode(201);
        given().header("Authorization", ADMIN).post("/v1/keys/" + name + "/rotate").then().statusCode(200);
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(Map.of("minDecryptionVersion", 2))
                .patch("/v1/keys/" + name).then().statusCode(200);
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(Map.of("autoRotatePeriod", "PT1S"))
                .patch("/v1/keys/" + name).then().statusCode(200);
        String dataKey = call(KMS, name, "datakey", Map.of("context", b64("c"))).extract().path("plaintext");

        try (AuditTopicReader topic = new AuditTopicReader()) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ZERO).until(() ->
                    events(topic.values(), name).stream().anyMatch(e -> e.path("data").path("details").path("scheduled").asBoolean()));
            List<JsonNode> events = events(topic.values(), name);
            given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{\"autoRotatePeriod\":null}")
                    .patch("/v1/keys/" + name).then().statusCode(200);

            assertThat(events).extracting(e -> e.path("type").asText())
                    .startsWith("strongroom.key.created", "strongroom.key.rotated", "strongroom.key.updated", "strongroom.key.updated")
                    .contains("strongroom.key.rotated");
            JsonNode created = events.get(0);
            assertThat(created.path("subject").asText()).isEqualTo("key/" + name);
            assertThat(created.path("data").path("actor").path("name").asText()).isEqualTo("root");
            assertThat(created.path("data").path("resource").path("version").asInt()).isEqualTo(1);
            assertThat(events.get(1).path("data").path("resource").path("version").asInt()).isEqualTo(2);
            assertThat(events.get(1).path("data").path("details").path("scheduled").asBoolean()).isFalse();
            assertThat(events.get(2).path("data").path("details").path("minDecryptionVersion").asInt()).isEqualTo(2);
            assertThat(events.get(3).path("data").path("details").path("autoRotatePeriod").asText()).isEqualTo("PT1S");

            JsonNode scheduled = events.stream().filter(e -> e.path("data").path("details").path("scheduled").asBoolean())
                    .findFirst().orElseThrow();
            assertThat(scheduled.path("type").asText()).isEqualTo("strongroom.key.rotated");
            assertThat(scheduled.path("data").path("actor").path("type").asText()).isEqualTo("service");
            for (JsonNode event : events) {
                assertThat(event.toString()).doesNotContain(dataKey).doesNotContainIgnoringCase("keyset");
            }
        }
    }

    private static List<JsonNode> events(List<String> values, String keyName) {
        return values.stream()
                .map(KeyAuditTest::parse)
                .filter(e -> e.path("subject").asText().equals("key/" + keyName))
                .toList();
    }

    private static JsonNode parse(String value) {
        try {
            return JSON.readTree(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
