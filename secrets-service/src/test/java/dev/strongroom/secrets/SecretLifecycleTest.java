package dev.strongroom.secrets;

import static dev.strongroom.secrets.Api.as;
import static dev.strongroom.secrets.Api.create;
import static dev.strongroom.secrets.Api.plaintext;
import static dev.strongroom.secrets.Api.reveal;
import static dev.strongroom.secrets.Api.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.strongroom.testing.AppDatabase;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.KeyServiceTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Create, read, version, rotate, roll back, destroy, delete and restore, as one owner does them. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(value = KeyServiceTestResource.class,
        initArgs = @ResourceArg(name = "token-property", value = "strongroom.secrets.kms.token"))
class SecretLifecycleTest {

    @Test
    void createsASecretAndAnswersMetadataWithoutTheValue() {
        String name = uniqueName("db");
        String value = plaintext("create");
        as("alice").body(Map.of("name", name, "environment", "production", "value", value, "type", "password",
                        "description", "primary database", "tags", Map.of("team", "payments")))
                .post("/v1/secrets").then()
                .statusCode(201)
                .header("Location", containsString("/v1/secrets/"))
                .body("name", equalTo(name))
                .body("environment", equalTo("production"))
                .body("type", equalTo("password"))
                .body("description", equalTo("primary database"))
                .body("tags.team", equalTo("payments"))
                .body("currentVersion", equalTo(1))
                .body("createdBy", equalTo("user:alice"))
                .body("owner", equalTo("user:alice"))
                .body("value", equalTo("********"))
                .body("expiresAt", nullValue())
                .body(not(containsString(value)));
    }

    @Test
    void revealsTheValueOfTheCurrentAndOfAnEarlierVersion() {
        String first = plaintext("v1");
        String second = plaintext("v2");
        String id = create("alice", uniqueName("api"), "staging", first);
        as("alice").body(Map.of("value", second)).put("/v1/secrets/" + id + "/value").then()
                .statusCode(200)
                .body("version", equalTo(2))
                .body("origin", equalTo("write"));
        reveal("alice", id).statusCode(200)
                .body("value", equalTo(second))
                .body("version", equalTo(2));
        as("alice").get("/v1/secrets/" + id + "/value?version=1").then()
                .statusCode(200)
                .body("value", equalTo(first))
                .body("version", equalTo(1));
        as("alice").get("/v1/secrets/" + id + "/value?version=7").then().statusCode(404);
        as("alice").get("/v1/secrets/" + id + "/value?version=zero").then().statusCode(422);
    }

    @Test
    void checkAndSetRefusesAStaleVersion() {
        String id = create("alice", uniqueName("cas"), "development", plaintext("cas1"));
        as("alice").body(Map.of("value", plaintext("cas2"), "cas", 1)).put("/v1/secrets/" + id + "/value").then()
                .statusCode(200).body("version", equalTo(2));
        as("alice").body(Map.of("value", plaintext("cas3"), "cas", 1)).put("/v1/secrets/" + id + "/value").then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strongroom.dev/problems/cas-mismatch"));
        as("alice").get("/v1/secrets/" + id).then().body("currentVersion", equalTo(2));

        // Concurrent writers with the same cas: exactly one wins. (Own threads: the JDK HTTP client that
        // talks to key-service completes on the common fork-join pool, which must not be blocked.)
        List<java.util.concurrent.CompletableFuture<Integer>> racers = new java.util.ArrayList<>();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (var clients = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 4; i++) {
                String value = plaintext("race" + i);
                racers.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    Thread.currentThread().setContextClassLoader(loader);
                    return as("alice").body(Map.of("value", value, "cas", 2)).put("/v1/secrets/" + id + "/value").then()
                            .extract().statusCode();
                }, clients));
            }
        }
        List<Integer> statuses = racers.stream().map(java.util.concurrent.CompletableFuture::join).sorted().toList();
        assertThat(statuses).containsExactly(200, 409, 409, 409);
        as("alice").get("/v1/secrets/" + id).then().body("currentVersion", equalTo(3));
    }

    @Test
    void keepsABoundedHistory() {
        String id = create("alice", Api.body("name", uniqueName("hist"), "environment", "testing",
                "value", plaintext("h1"), "maxVersions", 3));
        for (int i = 2; i <= 5; i++) {
            as("alice").body(Map.of("value", plaintext("h" + i))).put("/v1/secrets/" + id + "/value").then().statusCode(200);
        }
        as("alice").get("/v1/secrets/" + id + "/versions").then()
                .statusCode(200)
                .body("items.version", equalTo(List.of(5, 4, 3)))
                .body("items[0].current", equalTo(true))
                .body("nextCursor", nullValue());
        as("alice").get("/v1/secrets/" + id + "/value?version=2").then().statusCode(404);
    }

    @Test
    void rotatesWithASuppliedOrAGeneratedValueAndRollsBack() {
        String original = plaintext("orig");
        String id = create("alice", Api.body("name", uniqueName("rot"), "environment", "production", "value", original,
                "rotation", Map.of("intervalDays", 30, "generator", Map.of("type", "password", "length", 40, "alphabet", "hex"))));
        String supplied = plaintext("supplied");
        as("alice").body(Map.of("value", supplied)).post("/v1/secrets/" + id + "/rotate").then()
                .statusCode(200).body("version", equalTo(2)).body("origin", equalTo("rotate"));
        as("alice").body(Map.of()).post("/v1/secrets/" + id + "/rotate").then()
                .statusCode(200).body("version", equalTo(3));
        String generated = reveal("alice", id).statusCode(200).extract().path("value");
        Api.PLAINTEXTS.add(generated);
        assertThat(generated).hasSize(40).matches("[0-9a-f]{40}");
        as("alice").body(Map.of("version", 1)).post("/v1/secrets/" + id + "/rollback").then()
                .statusCode(200)
                .body("version", equalTo(4))
                .body("origin", equalTo("rollback"))
                .body("rolledBackFrom", equalTo(1));
        reveal("alice", id).body("value", equalTo(original)).body("version", equalTo(4));
        as("alice").get("/v1/secrets/" + id).then()
                .body("rotation.intervalDays", equalTo(30))
                .body("rotation.generator.type", equalTo("password"))
                .body("rotation.nextRotationAt", notNullValue());
    }

    @Test
    void rotateWithoutValueOrGeneratorIsRefused() {
        String id = create("alice", uniqueName("nogen"), "production", plaintext("nogen"));
        as("alice").body(Map.of()).post("/v1/secrets/" + id + "/rotate").then()
                .statusCode(422)
                .body("errors[0].field", equalTo("value"));
    }

    @Test
    void destroysOneVersionForGood() {
        String id = create("alice", uniqueName("destroy"), "staging", plaintext("d1"));
        as("alice").body(Map.of("value", plaintext("d2"))).put("/v1/secrets/" + id + "/value").then().statusCode(200);
        as("alice").delete("/v1/secrets/" + id + "/versions/1").then().statusCode(204);
        as("alice").get("/v1/secrets/" + id + "/value?version=1").then()
                .statusCode(410)
                .body("type", equalTo("https://strongroom.dev/problems/version-destroyed"));
        as("alice").body(Map.of("version", 1)).post("/v1/secrets/" + id + "/rollback").then().statusCode(410);
        as("alice").get("/v1/secrets/" + id + "/versions").then()
                .body("items.find { it.version == 1 }.destroyed", equalTo(true))
                .body("items.find { it.version == 2 }.destroyed", equalTo(false));
        reveal("alice", id).statusCode(200).body("version", equalTo(2));
        as("alice").delete("/v1/secrets/" + id + "/versions/9").then().statusCode(404);
    }

    @Test
    void softDeleteHidesTheSecretUntilRestored() {
        String value = plaintext("soft");
        String id = create("alice", uniqueName("soft"), "development", value);
        as("alice").delete("/v1/secrets/" + id).then().statusCode(204);
        as("alice").get("/v1/secrets/" + id).then().statusCode(404);
        reveal("alice", id).statusCode(404);
        as("alice").get("/v1/secrets?deleted=true&limit=500").then().statusCode(200).body("items.id", hasItems(id));
        as("alice").post("/v1/secrets/" + id + "/restore").then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("deletedAt", nullValue());
        reveal("alice", id).statusCode(200).body("value", equalTo(value));
        as("alice").post("/v1/secrets/" + id + "/restore").then().statusCode(409);
    }

    @Test
    void patchesMetadataOnly() {
        String id = create("alice", Api.body("name", uniqueName("patch"), "environment", "staging", "value", plaintext("p"),
                "description", "old", "tags", Map.of("a", "1")));
        Instant expiry = Instant.now().plusSeconds(86400 * 10);
        as("alice").body(Map.of("description", "new", "tags", Map.of("b", "2"), "expiresAt", expiry.toString(),
                        "rotation", Map.of("intervalDays", 7)))
                .patch("/v1/secrets/" + id).then()
                .statusCode(200)
                .body("description", equalTo("new"))
                .body("tags", equalTo(Map.of("b", "2")))
                .body("expiresAt", notNullValue())
                .body("rotation.intervalDays", equalTo(7))
                .body("rotation.generator.type", equalTo("password"))
                .body("currentVersion", equalTo(1));
        as("alice").body(Map.of("value", "x")).patch("/v1/secrets/" + id).then().statusCode(422);
        as("alice").body(Api.body("expiresAt", null, "rotation", null, "description", null)).patch("/v1/secrets/" + id).then()
                .statusCode(200)
                .body("expiresAt", nullValue())
                .body("rotation", nullValue())
                .body("description", nullValue());
    }

    @Test
    void expiredSecretsAreGoneUntilExtended() throws Exception {
        String value = plaintext("exp");
        String id = create("alice", Api.body("name", uniqueName("exp"), "environment", "production", "value", value,
                "expiresAt", Instant.now().plusSeconds(3600).toString()));
        reveal("alice", id).statusCode(200);
        // Let the expiry pass without waiting: move it into the past.
        AppDatabase.update("UPDATE secret SET expires_at = ? WHERE id = ?", java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).minusSeconds(1),
                TestDb.idBytes(id));
        reveal("alice", id).statusCode(410)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strongroom.dev/problems/secret-expired"))
                .body(not(containsString(value)));
        as("alice").get("/v1/secrets/" + id).then().statusCode(200).body("expired", equalTo(true));
        as("alice").body(Map.of("expiresAt", Instant.now().plusSeconds(3600).toString())).patch("/v1/secrets/" + id).then()
                .statusCode(200).body("expired", equalTo(false));
        reveal("alice", id).statusCode(200).body("value", equalTo(value));

        // A new version also brings an expired secret back, and lifts the passed expiry.
        AppDatabase.update("UPDATE secret SET expires_at = ? WHERE id = ?", java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).minusSeconds(1),
                TestDb.idBytes(id));
        reveal("alice", id).statusCode(410);
        String rotated = plaintext("exp-rotated");
        as("alice").body(Map.of("value", rotated)).post("/v1/secrets/" + id + "/rotate").then().statusCode(200);
        reveal("alice", id).statusCode(200).body("value", equalTo(rotated));
        as("alice").get("/v1/secrets/" + id).then().body("expiresAt", nullValue()).body("expired", equalTo(false));
    }

    @Test
    void validatesInputWithClearProblems() {
        as("alice").body(Map.of("name", "bad name!", "environment", "nowhere", "value", "x", "type", "weird"))
                .post("/v1/secrets").then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("name", "environment", "type"));
        as("alice").body(Map.of("name", uniqueName("big"), "environment", "production", "value", "x".repeat(65537)))
                .post("/v1/secrets").then()
                .statusCode(413)
                .body("type", equalTo("https://strongroom.dev/problems/too-large"));
        as("alice").body(Map.of("name", uniqueName("ok"), "environment", "production", "value", "x".repeat(65536)))
                .post("/v1/secrets").then()
                .statusCode(201);
        as("alice").body("{not json").post("/v1/secrets").then().statusCode(400);
        as("alice").body(Map.of("name", uniqueName("huge"), "environment", "production", "value", "x".repeat(600_000)))
                .post("/v1/secrets").then()
                .statusCode(413); // refused by the HTTP layer's body limit (512K), before JSON parsing
        as("alice").body(Map.of("name", 5, "environment", List.of("production"), "value", "x")).post("/v1/secrets").then()
                .statusCode(400)
                .contentType("application/problem+json");
        as("alice").body(Map.of("name", uniqueName("past"), "environment", "production", "value", "x",
                "expiresAt", "2001-01-01T00:00:00Z")).post("/v1/secrets").then()
                .statusCode(422).body("errors[0].field", equalTo("expiresAt"));
        as("alice").get("/v1/secrets/not-a-uuid").then().statusCode(404);
        as("alice").get("/v1/secrets?limit=501").then().statusCode(422);
        as("alice").get("/v1/secrets?cursor=%%%").then().statusCode(400);
    }

    @Test
    void refusesADuplicateNameInTheSameEnvironment() {
        String name = uniqueName("dup");
        create("alice", name, "production", plaintext("dup1"));
        create("alice", name, "staging", plaintext("dup2"));
        as("alice").body(Map.of("name", name, "environment", "production", "value", "x")).post("/v1/secrets").then()
                .statusCode(409)
                .body("type", equalTo("https://strongroom.dev/problems/secret-exists"));
        // bob may not see alice's secret: the create 403, not a 409 confirming it (EnvironmentOwnershipTest)
        as("bob").body(Map.of("name", name, "environment", "production", "value", "x")).post("/v1/secrets").then()
                .statusCode(403)
                .body("type", equalTo("https://strongroom.dev/problems/forbidden"));
    }

    @Test
    void listsMetadataWithFiltersAndKeysetPages() {
        String prefix = "list-" + java.util.UUID.randomUUID().toString().substring(0, 6);
        for (int i = 0; i < 7; i++) {
            create("carol", Api.body("name", prefix + "/s" + i, "environment", i % 2 == 0 ? "production" : "staging",
                    "value", plaintext("l" + i), "type", i < 3 ? "api-key" : "generic", "tags", Map.of("tier", i < 5 ? "gold" : "tin")));
        }
        var first = as("carol").get("/v1/secrets?q=" + prefix + "&limit=3").then()
                .statusCode(200)
                .body("items", hasSize(3))
                .body("items[0].value", equalTo("********"))
                .body("nextCursor", notNullValue())
                .extract();
        String cursor = first.path("nextCursor");
        List<String> seen = new java.util.ArrayList<>(first.jsonPath().getList("items.name"));
        while (cursor != null) {
            var page = as("carol").get("/v1/secrets?q=" + prefix + "&limit=3&cursor=" + cursor).then().statusCode(200).extract();
            seen.addAll(page.jsonPath().getList("items.name"));
            cursor = page.path("nextCursor");
        }
        assertThat(seen).hasSize(7).doesNotHaveDuplicates();
        as("carol").get("/v1/secrets?q=" + prefix + "&environment=staging").then().body("items", hasSize(3));
        as("carol").get("/v1/secrets?q=" + prefix + "&type=api-key").then().body("items", hasSize(3));
        as("carol").get("/v1/secrets?q=" + prefix + "&tag=tier:tin").then().body("items", hasSize(2));
        as("carol").get("/v1/secrets?q=" + prefix + "&tag=tier:gold&environment=production&type=api-key").then()
                .body("items.name", equalTo(List.of(prefix + "/s0", prefix + "/s2")));
        as("dave").get("/v1/secrets?q=" + prefix).then().statusCode(200).body("items", hasSize(0));

        // The admin role sees every secret's metadata: across environments, by tag, page by page.
        List<String> adminSeen = new java.util.ArrayList<>();
        String next = null;
        do {
            var page = as("root", "admin").get("/v1/secrets?q=" + prefix + "&tag=tier:gold&limit=2"
                    + (next == null ? "" : "&cursor=" + next)).then().statusCode(200).extract();
            adminSeen.addAll(page.jsonPath().getList("items.name"));
            next = page.path("nextCursor");
        } while (next != null);
        assertThat(adminSeen).containsExactly(prefix + "/s0", prefix + "/s2", prefix + "/s4", prefix + "/s1", prefix + "/s3");
    }
}
