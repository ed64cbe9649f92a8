package dev.strongroom.secrets;

import static dev.strongroom.secrets.Api.as;
import static dev.strongroom.secrets.Api.asService;
import static dev.strongroom.secrets.Api.asWorkload;
import static dev.strongroom.secrets.Api.create;
import static dev.strongroom.secrets.Api.grant;
import static dev.strongroom.secrets.Api.plaintext;
import static dev.strongroom.secrets.Api.reveal;
import static dev.strongroom.secrets.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.KeyServiceTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import dev.strongroom.testing.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Deny by default: owner, grants to users, roles, services and workloads, the admin role, and no existence oracle. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(value = KeyServiceTestResource.class,
        initArgs = @ResourceArg(name = "token-property", value = "strongroom.secrets.kms.token"))
class SecretAccessTest {

    /** Every endpoint that addresses one secret, as a request by the given caller. */
    private static List<Map.Entry<String, Function<RequestSpecification, Response>>> endpoints(String id, String environment, String name) {
        List<Map.Entry<String, Function<RequestSpecification, Response>>> list = new ArrayList<>();
        list.add(Map.entry("GET metadata", r -> r.get("/v1/secrets/" + id)));
        list.add(Map.entry("GET value", r -> r.get("/v1/secrets/" + id + "/value")));
        list.add(Map.entry("GET value?version", r -> r.get("/v1/secrets/" + id + "/value?version=1")));
        list.add(Map.entry("GET by name", r -> r.get("/v1/environments/" + environment + "/secrets/" + name + "/value")));
        list.add(Map.entry("POST share-value", r -> r.header(Api.SHARING_SERVICE, Api.sharingServiceToken()).body(Map.of())
                .post("/v1/secrets/" + id + "/share-value")));
        list.add(Map.entry("PUT value", r -> r.body(Map.of("value", "stolen-write")).put("/v1/secrets/" + id + "/value")));
        list.add(Map.entry("PATCH", r -> r.body(Map.of("description", "defaced")).patch("/v1/secrets/" + id)));
        list.add(Map.entry("GET versions", r -> r.get("/v1/secrets/" + id + "/versions")));
        list.add(Map.entry("POST rotate value", r -> r.body(Map.of("value", "stolen-rotate")).post("/v1/secrets/" + id + "/rotate")));
        list.add(Map.entry("POST rotate generated", r -> r.body(Map.of()).post("/v1/secrets/" + id + "/rotate")));
        list.add(Map.entry("POST rollback", r -> r.body(Map.of("version", 1)).post("/v1/secrets/" + id + "/rollback")));
        list.add(Map.entry("GET access", r -> r.get("/v1/secrets/" + id + "/access")));
        list.add(Map.entry("PUT access", r -> r.body(Map.of("grants", List.of(Map.of("principal", "user:mallory",
                "permissions", List.of("READ"))))).put("/v1/secrets/" + id + "/access")));
        list.add(Map.entry("DELETE version", r -> r.delete("/v1/secrets/" + id + "/versions/1")));
        list.add(Map.entry("DELETE", r -> r.delete("/v1/secrets/" + id)));
        list.add(Map.entry("POST restore", r -> r.post("/v1/secrets/" + id + "/restore")));
        return list;
    }

    @Test
    void aSecondUserGetsNotFoundOnEveryEndpointOfTheFirstUsersSecret() {
        String name = uniqueName("idor");
        String value = plaintext("idor");
        String id = create("alice", Api.body("name", name, "environment", "production", "value", value,
                "rotation", Map.of("intervalDays", 30)));
        String absent = "0190f0f0-0000-7000-8000-000000000000";
        String notFoundBody = as("mallory").get("/v1/secrets/" + absent).then().statusCode(404).extract().path("detail");

        for (var endpoint : endpoints(id, "production", name)) {
            Response answer = endpoint.getValue().apply(as("mallory"));
            assertThat(answer.statusCode()).as(endpoint.getKey()).isEqualTo(404);
            assertThat(answer.contentType()).as(endpoint.getKey()).startsWith("application/problem+json");
            assertThat(answer.jsonPath().getString("detail")).as(endpoint.getKey()).isIn(notFoundBody, "No such version.");
            String withoutEcho = answer.asString().replace(answer.jsonPath().getString("instance"), "");
            assertThat(withoutEcho).as(endpoint.getKey()).doesNotContain(value).doesNotContain(name);
        }
        as("mallory").body(Map.of("environment", "production", "names", List.of(name))).post("/v1/secrets/values:batchGet").then()
                .statusCode(200)
                .body("values", equalTo(Map.of()))
                .body("missing", equalTo(List.of(name)));
        as("mallory").get("/v1/secrets?limit=500").then().body("items.id", not(hasItem(id)));
        as("mallory").get("/v1/secrets?deleted=true&limit=500").then().body("items.id", not(hasItem(id)));

        // Nothing changed, and each attempt is on record.
        reveal("alice", id).statusCode(200).body("value", equalTo(value)).body("version", equalTo(1));
        as("alice").get("/v1/secrets/" + id).then().body("description", equalTo(null));
        as("alice").get("/v1/secrets/" + id + "/access").then().body("grants", empty());
        JsonNode denied = AuditEvents.await("secret.access_denied", id,
                e -> "mallory".equals(e.path("data").path("actor").path("name").asText())
                        && "read".equals(e.path("data").path("details").path("operation").asText()));
        assertThat(denied.path("data").path("outcome").asText()).isEqualTo("denied");
        assertThat(denied.path("data").path("details").path("answeredStatus").asInt()).isEqualTo(404);
        AuditEvents.await("secret.access_denied", id, e -> "delete".equals(e.path("data").path("details").path("operation").asText()));
        AuditEvents.await("secret.access_denied", id, e -> "change-access".equals(e.path("data").path("details").path("operation").asText()));
    }

    @Test
    void loweringMaxVersionsBelowTheKeptHistoryNeedsAdminAndIsAuditedAsADestroy() {
        String id = create("alice", Api.body("name", uniqueName("history"), "environment", "testing",
                "value", plaintext("hist-1"), "maxVersions", 5));
        for (int i = 2; i <= 4; i++) {
            as("alice").body(Map.of("value", plaintext("hist-" + i))).put("/v1/secrets/" + id + "/value").then().statusCode(200);
        }
        grant("alice", id, Map.of("user:wendy", List.of("WRITE"), "user:ada", List.of("WRITE", "ADMIN")));

        // WRITE alone may not delete history: 403, nothing changed, the refusal on record
        as("wendy").body(Map.of("maxVersions", 2, "description", "pruned")).patch("/v1/secrets/" + id).then()
                .statusCode(403)
                .contentType(containsString("application/problem+json"))
                .body("detail", containsString("needs the ADMIN permission"));
        as("alice").get("/v1/secrets/" + id).then().body("maxVersions", equalTo(5)).body("description", equalTo(null));
        as("alice").get("/v1/secrets/" + id + "/versions").then().body("items.version", equalTo(List.of(4, 3, 2, 1)));
        JsonNode denied = AuditEvents.await("secret.access_denied", id,
                e -> "wendy".equals(e.path("data").path("actor").path("name").asText()));
        assertThat(denied.path("data").path("details").path("operation").asText()).isEqualTo("update-metadata");
        assertThat(denied.path("data").path("details").path("requiredPermission").asText()).isEqualTo("ADMIN");

        // WRITE may change maxVersions while nothing kept is deleted
        as("wendy").body(Map.of("maxVersions", 4)).patch("/v1/secrets/" + id).then().statusCode(200).body("maxVersions", equalTo(4));

        // WRITE with ADMIN may: versions 1 and 2 go, each recorded as destroyed by retention
        as("ada").body(Map.of("maxVersions", 2)).patch("/v1/secrets/" + id).then().statusCode(200).body("maxVersions", equalTo(2));
        as("alice").get("/v1/secrets/" + id + "/versions").then().body("items.version", equalTo(List.of(4, 3)));
        for (int version : List.of(1, 2)) {
            JsonNode destroyed = AuditEvents.await("secret.version_destroyed", id,
                    e -> e.path("data").path("resource").path("version").asInt() == version);
            assertThat(destroyed.path("data").path("actor").path("name").asText()).isEqualTo("ada");
            assertThat(destroyed.path("data").path("details").path("reason").asText()).isEqualTo("maxVersions");
        }
        assertThat(AuditEvents.all("secret.version_destroyed", id)).hasSize(2);
    }

    @Test
    void readGrantRevealsButOtherActionsAreForbidden() {
        String value = plaintext("read-grant");
        String id = create("alice", uniqueName("rg"), "staging", value);
        grant("alice", id, Map.of("user:bob", List.of("READ")));
        reveal("bob", id).statusCode(200).body("value", equalTo(value));
        as("bob").get("/v1/secrets/" + id).then().statusCode(200).body("owner", equalTo("user:alice"));
        as("bob").get("/v1/secrets/" + id + "/versions").then().statusCode(200);
        for (var endpoint : endpoints(id, "staging", "unused")) {
            if (List.of("PUT value", "PATCH", "POST rotate value", "POST rollback", "GET access", "PUT access", "DELETE version",
                    "DELETE").contains(endpoint.getKey())) {
                Response answer = endpoint.getValue().apply(as("bob"));
                assertThat(answer.statusCode()).as(endpoint.getKey()).isEqualTo(403);
                assertThat(answer.jsonPath().getString("type")).isEqualTo("https://strongroom.dev/problems/forbidden");
            }
        }
        as("bob").get("/v1/secrets?limit=500").then().body("items.id", hasItem(id));
        reveal("alice", id).body("version", equalTo(1));
    }

    @Test
    void rollbackNeedsRotateButNotRead() {
        String first = plaintext("rb1");
        String id = create("alice", uniqueName("rb"), "production", first);
        as("alice").body(Map.of("value", plaintext("rb2"))).put("/v1/secrets/" + id + "/value").then().statusCode(200);
        grant("alice", id, Map.of("user:oncall", List.of("ROTATE")));
        as("oncall").body(Map.of("version", 1)).post("/v1/secrets/" + id + "/rollback").then()
                .statusCode(200)
                .body("version", equalTo(3))
                .body(not(containsString(first)));
        reveal("oncall", id).statusCode(404);
        reveal("alice", id).body("value", equalTo(first)).body("version", equalTo(3));
    }

    @Test
    void adminGrantManagesTheSecretButRevealsNothing() {
        String id = create("alice", uniqueName("adm"), "production", plaintext("adm"));
        grant("alice", id, Map.of("user:erin", List.of("ADMIN")));
        as("erin").get("/v1/secrets/" + id).then().statusCode(200);
        as("erin").get("/v1/secrets/" + id + "/access").then().statusCode(200)
                .body("grants[0].principal", equalTo("user:erin"));
        reveal("erin", id).statusCode(403);
        as("erin").delete("/v1/secrets/" + id).then().statusCode(204);
        as("erin").post("/v1/secrets/" + id + "/restore").then().statusCode(200);
        as("erin").body(Map.of("value", "nope")).put("/v1/secrets/" + id + "/value").then().statusCode(403);
    }

    @Test
    void theAdminRoleManagesEveryGrantAndRevealsOnlyWithAnAuditedGrant() {
        String value = plaintext("admin-role");
        String id = create("alice", uniqueName("ar"), "production", value);
        as("root", "admin").get("/v1/secrets/" + id + "/access").then().statusCode(200);
        reveal("root", id).statusCode(404);
        as("root", "admin").get("/v1/secrets/" + id + "/value").then().statusCode(403);
        as("root", "admin").body(Map.of("grants", List.of(Map.of("principal", "user:root", "permissions", List.of("READ")))))
                .put("/v1/secrets/" + id + "/access").then().statusCode(200);
        as("root", "admin").get("/v1/secrets/" + id + "/value").then().statusCode(200).body("value", equalTo(value));
        AuditEvents.await("secret.access_changed", id, e -> "root".equals(e.path("data").path("actor").path("name").asText()));
        AuditEvents.await("secret.read", id, e -> "root".equals(e.path("data").path("actor").path("name").asText()));
    }

    @Test
    void roleServiceAndWorkloadGrantsApply() {
        String name = uniqueName("wl");
        String value = plaintext("wl");
        String id = create("alice", name, "production", value);
        grant("alice", id, Map.of("role:payments", List.of("READ"), "service:ci", List.of("WRITE"),
                "workload:payments/api", List.of("READ")));
        reveal("frank", id).statusCode(404);
        as("frank", "user", "payments").get("/v1/secrets/" + id + "/value").then().statusCode(200).body("value", equalTo(value));
        String ciValue = plaintext("ci");
        asService("ci", "user").body(Map.of("value", ciValue)).put("/v1/secrets/" + id + "/value").then().statusCode(200);
        asWorkload("payments/api").get("/v1/environments/production/secrets/" + name + "/value").then()
                .statusCode(200)
                .body("value", equalTo(ciValue))
                .body("version", equalTo(2));
        asWorkload("payments/worker").get("/v1/environments/production/secrets/" + name + "/value").then().statusCode(404);
        asWorkload("payments/api").get("/v1/environments/production/secrets/" + name + "-absent/value").then()
                .statusCode(404)
                .contentType("application/problem+json");
        asWorkload("payments/api").get("/v1/environments/staging/secrets/" + name + "/value").then().statusCode(404);
    }

    @Test
    void shareValueNeedsShareNotRead() {
        String value = plaintext("share");
        String id = create("alice", uniqueName("share"), "production", value);
        as("alice").body(Map.of("value", plaintext("share2"))).put("/v1/secrets/" + id + "/value").then().statusCode(200);
        grant("alice", id, Map.of("user:sam", List.of("SHARE"), "user:rita", List.of("READ")));
        as("sam").header(Api.SHARING_SERVICE, Api.sharingServiceToken()).body(Map.of("version", 1))
                .post("/v1/secrets/" + id + "/share-value").then()
                .statusCode(200)
                .body("value", equalTo(value))
                .body("version", equalTo(1));
        reveal("sam", id).statusCode(404);
        as("rita").header(Api.SHARING_SERVICE, Api.sharingServiceToken()).body(Map.of()).post("/v1/secrets/" + id + "/share-value")
                .then().statusCode(403);
        as("mallory").header(Api.SHARING_SERVICE, Api.sharingServiceToken()).body(Map.of()).post("/v1/secrets/" + id + "/share-value")
                .then().statusCode(404);
        // A version the sharer may not see (none such) is 404 like an unknown secret.
        as("sam").header(Api.SHARING_SERVICE, Api.sharingServiceToken()).body(Map.of("version", 9))
                .post("/v1/secrets/" + id + "/share-value").then().statusCode(404);
        AuditEvents.await("secret.read", id, e -> "sam".equals(e.path("data").path("actor").path("name").asText())
                && "share".equals(e.path("data").path("details").path("purpose").asText()));
    }

    @Test
    void shareValueAnswersOnlySharingServiceActingForTheSharer() {
        String value = plaintext("share-only");
        String id = create("alice", uniqueName("share-only"), "production", value);
        grant("alice", id, Map.of("user:sam", List.of("SHARE")));
        String forbidden = "Only sharing-service fetches values for share links: create a share with POST /v1/shares.";
        // The sharer alone (today's direct call), even the owner: 403 and no value.
        for (String user : List.of("sam", "alice")) {
            as(user).body(Map.of()).post("/v1/secrets/" + id + "/share-value").then()
                    .statusCode(403)
                    .contentType("application/problem+json")
                    .body("detail", equalTo(forbidden))
                    .body(not(containsString(value)));
        }
        // Another service's token, a sharing-service token without the sharing role, a user token, a tampered or
        // foreign-issuer token in the header: 403.
        List<String> wrong = List.of(
                TestTokens.builder().type("service").name("ci").roles("sharing").sign(),
                TestTokens.builder().type("service").name("sharing-service").roles("user").sign(),
                TestTokens.builder().type("user").name("sharing-service").roles("sharing").sign(),
                Api.sharingServiceToken().substring(0, Api.sharingServiceToken().length() - 4) + "AAAA",
                TestTokens.builder().type("service").name("sharing-service").roles("sharing").issuer("someone-else").sign(),
                TestTokens.builder().type("service").name("sharing-service").roles("sharing").expiresIn(Duration.ofMinutes(-5)).sign(),
                "not-a-token");
        for (String token : wrong) {
            as("sam").header(Api.SHARING_SERVICE, token).body(Map.of()).post("/v1/secrets/" + id + "/share-value").then()
                    .statusCode(403)
                    .body("detail", equalTo(forbidden));
        }
        // sharing-service by itself, without a sharer: 403.
        given().header("Authorization", "Bearer " + Api.sharingServiceToken()).header(Api.SHARING_SERVICE, Api.sharingServiceToken())
                .contentType("application/json").body(Map.of()).post("/v1/secrets/" + id + "/share-value").then()
                .statusCode(403);
        // Both together: the value.
        as("sam").header(Api.SHARING_SERVICE, Api.sharingServiceToken()).body(Map.of()).post("/v1/secrets/" + id + "/share-value")
                .then().statusCode(200).body("value", equalTo(value));
    }

    @Test
    void aGrantToTheLastOfManyRolesCounts() {
        String name = uniqueName("roles");
        String value = plaintext("roles");
        String id = create("alice", name, "production", value);
        grant("alice", id, Map.of("role:r14", List.of("READ")));
        String[] roles = java.util.stream.IntStream.rangeClosed(1, 14).mapToObj(i -> "r" + i).toArray(String[]::new);
        as("gina", roles).get("/v1/secrets/" + id + "/value").then().statusCode(200).body("value", equalTo(value));
        as("gina", roles).get("/v1/environments/production/secrets/" + name + "/value").then().statusCode(200);
        as("gina", roles).body(Map.of("environment", "production", "names", List.of(name))).post("/v1/secrets/values:batchGet").then()
                .body("values." + "'" + name + "'", equalTo(value));
        as("gina", java.util.Arrays.copyOf(roles, 13)).get("/v1/secrets/" + id + "/value").then().statusCode(404);
    }

    @Test
    void batchGetReturnsReadableValuesAndListsTheRestAsMissing() {
        String a = uniqueName("batch-a");
        String b = uniqueName("batch-b");
        String c = uniqueName("batch-c");
        String va = plaintext("ba");
        String vb = plaintext("bb");
        String idA = create("alice", a, "testing", va);
        String idB = create("alice", b, "testing", vb);
        create("alice", c, "testing", plaintext("bc"));
        grant("alice", idA, Map.of("workload:ci/runner", List.of("READ")));
        grant("alice", idB, Map.of("workload:ci/runner", List.of("READ")));
        asWorkload("ci/runner").body(Map.of("environment", "testing", "names", List.of(a, b, c, "nothing-here")))
                .post("/v1/secrets/values:batchGet").then()
                .statusCode(200)
                .body("values", equalTo(Map.of(a, va, b, vb)))
                .body("versions." + "'" + a + "'", equalTo(1))
                .body("missing", equalTo(List.of(c, "nothing-here")))
                .body("expired", hasSize(0));
        AuditEvents.await("secret.read", idA, e -> "ci/runner".equals(e.path("data").path("actor").path("name").asText())
                && "workload".equals(e.path("data").path("actor").path("type").asText()));
        asWorkload("ci/runner").body(Map.of("environment", "testing", "names", List.of())).post("/v1/secrets/values:batchGet").then()
                .statusCode(422);
        asWorkload("ci/runner").body(Map.of("environment", "nowhere", "names", List.of(a))).post("/v1/secrets/values:batchGet").then()
                .statusCode(422);
    }

    @Test
    void revokingAGrantTakesEffectAtOnce() {
        String id = create("alice", uniqueName("revoke"), "staging", plaintext("revoke"));
        grant("alice", id, Map.of("user:bob", List.of("READ", "WRITE")));
        reveal("bob", id).statusCode(200);
        as("alice").body(Map.of("grants", List.of())).put("/v1/secrets/" + id + "/access").then()
                .statusCode(200).body("grants", empty());
        reveal("bob", id).statusCode(404);
        JsonNode changed = AuditEvents.await("secret.access_changed", id,
                e -> e.path("data").path("details").path("removedPrincipals").toString().contains("user:bob"));
        assertThat(changed.path("data").path("actor").path("name").asText()).isEqualTo("alice");
    }

    @Test
    void refusesMalformedGrants() {
        String id = create("alice", uniqueName("badgrant"), "staging", plaintext("badgrant"));
        as("alice").body(Map.of("grants", List.of(Map.of("principal", "everyone", "permissions", List.of("READ")))))
                .put("/v1/secrets/" + id + "/access").then().statusCode(422).body("errors[0].field", equalTo("grants[0].principal"));
        as("alice").body(Map.of("grants", List.of(Map.of("principal", "user:bob", "permissions", List.of("ROOT")))))
                .put("/v1/secrets/" + id + "/access").then().statusCode(422).body("errors[0].field", equalTo("grants[0].permissions"));
        as("alice").body(Map.of("grants", List.of(Map.of("principal", "user:bob", "permissions", List.of("READ")),
                        Map.of("principal", "user:bob", "permissions", List.of("WRITE")))))
                .put("/v1/secrets/" + id + "/access").then().statusCode(422).body("errors[0].field", equalTo("grants[1].principal"));
        as("alice").body(Map.of("grants", List.of(Map.of("principal", "workload:Bad_NS/sa", "permissions", List.of("READ")))))
                .put("/v1/secrets/" + id + "/access").then().statusCode(422);
    }

    @Test
    void tokensAreRequiredAndCheckedOnEveryEndpoint() {
        String id = create("alice", uniqueName("tok"), "staging", plaintext("tok"));
        given().get("/v1/secrets/" + id + "/value").then().statusCode(401).contentType("application/problem+json");
        given().get("/v1/secrets").then().statusCode(401);
        given().header("Authorization", "Bearer " + TestTokens.builder().name("alice").expiresIn(Duration.ofMinutes(-5)).sign())
                .get("/v1/secrets/" + id + "/value").then().statusCode(401);
        given().header("Authorization", "Bearer " + TestTokens.builder().name("alice").issuer("someone-else").sign())
                .get("/v1/secrets/" + id + "/value").then().statusCode(401);
        String token = TestTokens.token("alice", "user");
        given().header("Authorization", "Bearer " + token.substring(0, token.length() - 4) + "AAAA")
                .get("/v1/secrets/" + id + "/value").then().statusCode(401);
        as("audrey", "auditor").body(Map.of("name", uniqueName("aud"), "environment", "staging", "value", "x"))
                .post("/v1/secrets").then().statusCode(403);
        as("alice").get("/v1/secrets/report").then().statusCode(403);
    }
}
