package dev.strongroom.keys;

import static dev.strongroom.keys.KeyTestSupport.ADMIN;
import static dev.strongroom.keys.KeyTestSupport.KMS;
import static dev.strongroom.keys.KeyTestSupport.b64;
import static dev.strongroom.keys.KeyTestSupport.call;
import static dev.strongroom.keys.KeyTestSupport.createKey;
import static dev.strongroom.keys.KeyTestSupport.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import dev.strongroom.testing.PrometheusText;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Keys through the HTTP API: create, read, list, rotate, policy, scheduled rotation, and their problems. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(RootKeyTestResource.class)
class KeyLifecycleTest {

    @Test
    void createdKeyShowsMetadataButNoKeyMaterial() {
        String name = uniqueName("payments");
        String body = createKey(name)
                .statusCode(201)
                .header("Location", containsString("/v1/keys/" + name))
                .body("name", equalTo(name))
                .body("algorithm", equalTo("AES256_GCM"))
                .body("primaryVersion", equalTo(1))
                .body("minDecryptionVersion", equalTo(1))
                .body("autoRotatePeriod", nullValue())
                .body("versions.version", contains(1))
                .body("versions.state", contains("primary"))
                .body("versions[0].createdAt", notNullValue())
                .extract().asString();
        assertThat(body).doesNotContainIgnoringCase("keyset").doesNotContainIgnoringCase("sealed");

        given().header("Authorization", KMS).get("/v1/keys/" + name).then()
                .statusCode(200)
                .body("name", equalTo(name))
                .body("primaryVersion", equalTo(1));
    }

    @Test
    void keysDeclaredInConfigurationExistAfterStartUp() {
        for (String name : new String[] {"declared-at-start", "declared-too"}) {
            given().header("Authorization", KMS).get("/v1/keys/" + name).then()
                    .statusCode(200)
                    .body("primaryVersion", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
        }
    }

    @Test
    void listsKeysByNameInPages() {
        String prefix = uniqueName("list");
        for (String suffix : new String[] {"a", "b", "c"}) {
            createKey(prefix + "-" + suffix).statusCode(201);
        }
        var first = given().header("Authorization", ADMIN).queryParam("limit", 500).get("/v1/keys").then()
                .statusCode(200)
                .body("items.name", hasItem(prefix + "-b"))
                .extract().jsonPath();
        assertThat(first.getList("items.name", String.class)).isSorted();

        String cursor = given().header("Authorization", ADMIN).queryParam("limit", 1).get("/v1/keys").then()
                .statusCode(200)
                .body("items.size()", equalTo(1))
                .body("nextCursor", notNullValue())
                .extract().path("nextCursor");
        given().header("Authorization", ADMIN).queryParam("limit", 1).queryParam("cursor", cursor).get("/v1/keys").then()
                .statusCode(200)
                .body("items.size()", equalTo(1));
        given().header("Authorization", ADMIN).queryParam("cursor", "!!!").get("/v1/keys").then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().header("Authorization", ADMIN).queryParam("limit", 501).get("/v1/keys").then()
                .statusCode(422);
    }

    @Test
    void duplicateNameIs409AndBadNamesAre422AndUnknownIs404() {
        String name = uniqueName("dup");
        createKey(name).statusCode(201);
        createKey(name).statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strongroom.dev/problems/key-exists"));

        for (String bad : new String[] {"has space", "slash/inside", "x".repeat(65), "", ".."}) {
            given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(Map.of("name", bad))
                    .post("/v1/keys").then()
                    .statusCode(422)
                    .body("errors.field", hasItem("name"));
        }
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(Map.of("name", uniqueName("alg"), "algorithm", "DES"))
                .post("/v1/keys").then()
                .statusCode(422)
                .body("errors.field", hasItem("algorithm"));
        given().header("Authorization", ADMIN).get("/v1/keys/no-such-key").then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().header("Authorization", ADMIN).post("/v1/keys/no-such-key/rotate").then()
                .statusCode(404);
        call(KMS, "no-such-key", "encrypt", Map.of("plaintext", b64("x"), "context", b64("c"))).statusCode(404);
    }

    @Test
    void rotationAddsAPrimaryVersionAndOldCiphertextsStillDecrypt() {
        String name = uniqueName("rot");
        createKey(name).statusCode(201);
        String old = call(KMS, name, "encrypt", Map.of("plaintext", b64("before"), "context", b64("ctx")))
                .statusCode(200)
                .body("keyVersion", equalTo(1))
                .extract().path("ciphertext");

        given().header("Authorization", ADMIN).post("/v1/keys/" + name + "/rotate").then()
                .statusCode(200)
                .body("primaryVersion", equalTo(2))
                .body("versions.version", contains(1, 2))
                .body("versions.state", contains("active", "primary"));

        call(KMS, name, "encrypt", Map.of("plaintext", b64("after"), "context", b64("ctx")))
                .statusCode(200)
                .body("keyVersion", equalTo(2));
        call(KMS, name, "decrypt", Map.of("ciphertext", old, "context", b64("ctx")))
                .statusCode(200)
                .body("plaintext", equalTo(b64("before")));
    }

    @Test
    void rewrapMovesToTheLatestVersionWithoutRevealingThePlaintext() {
        String name = uniqueName("rewrap");
        createKey(name).statusCode(201);
        String old = call(KMS, name, "encrypt", Map.of("plaintext", b64("value"), "context", b64("ctx")))
                .extract().path("ciphertext");
        given().header("Authorization", ADMIN).post("/v1/keys/" + name + "/rotate").then().statusCode(200);
        given().header("Authorization", ADMIN).post("/v1/keys/" + name + "/rotate").then().statusCode(200);

        var rewrapped = call(KMS, name, "rewrap", Map.of("ciphertext", old, "context", b64("ctx")))
                .statusCode(200)
                .body("keyVersion", equalTo(3))
                .body("$", not(org.hamcrest.Matchers.hasKey("plaintext")))
                .extract().jsonPath();
        call(KMS, name, "decrypt", Map.of("ciphertext", rewrapped.getString("ciphertext"), "context", b64("ctx")))
                .statusCode(200)
                .body("plaintext", equalTo(b64("value")));
        call(KMS, name, "rewrap", Map.of("ciphertext", old, "context", b64("other")))
                .statusCode(400)
                .body("type", equalTo("https://strongroom.dev/problems/decryption-failed"));
    }

    @Test
    void minDecryptionVersionRefusesOlderCiphertexts() {
        String name = uniqueName("min");
        createKey(name).statusCode(201);
        String v1 = call(KMS, name, "encrypt", Map.of("plaintext", b64("one"), "context", b64("ctx"))).extract().path("ciphertext");
        given().header("Authorization", ADMIN).post("/v1/keys/" + name + "/rotate").then().statusCode(200);
        String v2 = call(KMS, name, "encrypt", Map.of("plaintext", b64("two"), "context", b64("ctx"))).extract().path("ciphertext");

        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(Map.of("minDecryptionVersion", 2))
                .patch("/v1/keys/" + name).then()
                .statusCode(200)
                .body("minDecryptionVersion", equalTo(2))
                .body("versions.state", contains("retired", "primary"));

        call(KMS, name, "decrypt", Map.of("ciphertext", v1, "context", b64("ctx")))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strongroom.dev/problems/key-version-refused"))
                .body("detail", containsString("minimum decryption version 2"));
        call(KMS, name, "rewrap", Map.of("ciphertext", v1, "context", b64("ctx"))).statusCode(400);
        call(KMS, name, "decrypt", Map.of("ciphertext", v2, "context", b64("ctx")))
                .statusCode(200)
                .body("plaintext", equalTo(b64("two")));

        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(Map.of("minDecryptionVersion", 3))
                .patch("/v1/keys/" + name).then()
                .statusCode(422)
                .body("errors.field", contains("minDecryptionVersion"));
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(Map.of())
                .patch("/v1/keys/" + name).then()
                .statusCode(422);
    }

    @Test
    void autoRotatePeriodRotatesOnSchedule() {
        String name = uniqueName("auto");
        createKey(name).statusCode(201);
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(Map.of("autoRotatePeriod", "nonsense"))
                .patch("/v1/keys/" + name).then()
                .statusCode(422)
                .body("errors.field", contains("autoRotatePeriod"));
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(Map.of("autoRotatePeriod", "PT1S"))
                .patch("/v1/keys/" + name).then()
                .statusCode(200)
                .body("autoRotatePeriod", equalTo("PT1S"))
                .body("nextRotationAt", notNullValue());

        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                given().header("Authorization", ADMIN).get("/v1/keys/" + name).then()
                        .body("primaryVersion", org.hamcrest.Matchers.greaterThanOrEqualTo(3)));

        var off = given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{\"autoRotatePeriod\": null}")
                .patch("/v1/keys/" + name).then()
                .statusCode(200)
                .body("autoRotatePeriod", nullValue())
                .body("nextRotationAt", nullValue())
                .extract().jsonPath();
        int stopped = off.getInt("primaryVersion");
        Awaitility.await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).untilAsserted(() ->
                given().header("Authorization", ADMIN).get("/v1/keys/" + name).then()
                        .body("primaryVersion", equalTo(stopped)));
    }

    @Test
    void aKeyWhoseRotationStallsIsCountedOverdueUntilRotated() throws Exception {
        String name = uniqueName("stalled");
        createKey(name).statusCode(201);
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(Map.of("autoRotatePeriod", "PT1H"))
                .patch("/v1/keys/" + name).then()
                .statusCode(200);
        double before = overdueKeys();
        try (Connection c = KeyTestSupport.database()) {
            String sealedBy;
            try (PreparedStatement read = c.prepareStatement("SELECT sealed_by FROM kms_keys WHERE name = ?")) {
                read.setString(1, name);
                var rows = read.executeQuery();
                assertThat(rows.next()).isTrue();
                sealedBy = rows.getString(1);
            }
            // Sealed by a root key key-service does not have, the key cannot be rotated: it stays due, two hours late.
            try (PreparedStatement stall = c.prepareStatement(
                    "UPDATE kms_keys SET sealed_by = 'keyset:1', next_rotation_at = UTC_TIMESTAMP() - INTERVAL 2 HOUR WHERE name = ?")) {
                stall.setString(1, name);
                assertThat(stall.executeUpdate()).isEqualTo(1);
            }
            try {
                Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300))
                        .until(() -> overdueKeys() >= before + 1);
            } finally {
                try (PreparedStatement restore = c.prepareStatement("UPDATE kms_keys SET sealed_by = ? WHERE name = ?")) {
                    restore.setString(1, sealedBy);
                    restore.setString(2, name);
                    restore.executeUpdate();
                }
            }
        }
        // Released: the scheduler rotates it, and it is no longer overdue.
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                given().header("Authorization", ADMIN).get("/v1/keys/" + name).then()
                        .body("primaryVersion", equalTo(2)));
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300))
                .until(() -> overdueKeys() <= before);
    }

    private static double overdueKeys() {
        return PrometheusText.scrape("strongroom_keys_rotation_overdue");
    }
}
