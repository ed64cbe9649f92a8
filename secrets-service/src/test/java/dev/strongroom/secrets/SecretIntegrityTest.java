package dev.strongroom.secrets;

import static dev.strongroom.secrets.Api.as;
import static dev.strongroom.secrets.Api.create;
import static dev.strongroom.secrets.Api.plaintext;
import static dev.strongroom.secrets.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strongroom.testing.AppDatabase;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.KeyServiceTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/secrets/integrity}: every current version opened, failures named by id, values never shown. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(value = KeyServiceTestResource.class,
        initArgs = @ResourceArg(name = "token-property", value = "strongroom.secrets.kms.token"))
class SecretIntegrityTest {

    private static JsonPath check() {
        return as("root", "admin").get("/v1/secrets/integrity").then().statusCode(200).extract().jsonPath();
    }

    private static List<String> failedIds(JsonPath report) {
        return report.getList("failures.secretId", String.class);
    }

    @Test
    void opensEveryCurrentVersionAndNamesTheOnesThatDoNotOpen() throws Exception {
        String value = plaintext("integrity");
        String intact = create("carol", uniqueName("intact"), "production", value);
        as("carol").body(Map.of("value", plaintext("integrity v2"))).put("/v1/secrets/" + intact + "/value").then().statusCode(200);
        String damaged = create("carol", uniqueName("damaged"), "staging", plaintext("integrity other"));

        JsonPath before = check();
        assertThat(before.getLong("checked")).isGreaterThanOrEqualTo(2);
        assertThat(failedIds(before)).doesNotContain(intact, damaged);

        // one flipped bit in the stored envelope of the current version
        AppDatabase.update("UPDATE secret_version SET ciphertext = CONCAT(LEFT(ciphertext, LENGTH(ciphertext) - 1),"
                + " CHAR(ASCII(RIGHT(ciphertext, 1)) ^ 1)) WHERE secret_id = ? AND version = 1", TestDb.idBytes(damaged));

        String body = as("root", "admin").get("/v1/secrets/integrity").then().statusCode(200).extract().asString();
        JsonPath after = JsonPath.from(body);
        assertThat(after.getBoolean("ok")).isFalse();
        assertThat(after.getLong("failed")).isGreaterThanOrEqualTo(1);
        assertThat(after.getLong("checked")).isEqualTo(before.getLong("checked"));
        assertThat(failedIds(after)).contains(damaged).doesNotContain(intact);
        assertThat(after.getList("failures").stream().map(Map.class::cast)
                .filter(f -> damaged.equals(f.get("secretId"))).findFirst().orElseThrow())
                .containsEntry("version", 1).containsEntry("reason", "undecryptable");
        assertThat(body).doesNotContain(value);
    }

    @Test
    void onlyAdminsMayRunIt() {
        as("carol").get("/v1/secrets/integrity").then().statusCode(403);
        given().get("/v1/secrets/integrity").then().statusCode(401);
    }
}
