package dev.strongroom.auth;

import static dev.strongroom.auth.Api.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bootstrap admin, user administration, and service accounts with the client-credentials grant. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KubernetesIssuer.class)
class AdminAndServiceAccountTest {

    @Test
    void theBootstrapAdminExistsFromConfiguration() {
        String admin = Api.adminToken();
        assertThat(Jwts.payload(admin).path("groups").toString()).contains("admin");
    }

    @Test
    void adminsListUsersPageByPage() {
        Api.register(Api.uniqueName("page"));
        Api.register(Api.uniqueName("page"));
        String admin = Api.adminToken();
        ExtractableResponse<Response> first = given().auth().oauth2(admin).queryParam("limit", 1).get("/v1/admin/users").then()
                .statusCode(200)
                .body("items.size()", equalTo(1))
                .body("items[0]", not(hasKey("passwordHash")))
                .body("nextCursor", notNullValue())
                .extract();
        String cursor = first.path("nextCursor");
        given().auth().oauth2(admin).queryParam("limit", 1).queryParam("cursor", cursor).get("/v1/admin/users").then()
                .statusCode(200)
                .body("items[0].id", not(equalTo(first.path("items[0].id"))));
        given().auth().oauth2(admin).queryParam("limit", 501).get("/v1/admin/users").then().statusCode(422);
    }

    @Test
    void onlyAdminsAdministerAndEveryoneNeedsAToken() {
        String name = Api.uniqueName("plain");
        Api.register(name);
        String user = Api.tokens(name)[0];
        given().auth().oauth2(user).get("/v1/admin/users").then().statusCode(403).contentType("application/problem+json");
        given().get("/v1/admin/users").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(user).contentType("application/json").body(Map.of("name", "x-svc", "roles", List.of("kms")))
                .post("/v1/admin/service-accounts").then().statusCode(403);
    }

    @Test
    void changingRolesOrDisablingRevokesTheUsersSessions() {
        String name = Api.uniqueName("promo");
        String id = Api.register(name);
        String before = Api.tokens(name)[0];
        String admin = Api.adminToken();

        given().auth().oauth2(admin).contentType("application/json").body(Map.of("roles", List.of("user", "auditor")))
                .patch("/v1/admin/users/" + id).then()
                .statusCode(200)
                .body("roles", containsInAnyOrder("user", "auditor"));
        given().auth().oauth2(before).get("/v1/auth/me").then().statusCode(401);
        String after = Api.tokens(name)[0];
        assertThat(Jwts.payload(after).path("groups").toString()).contains("auditor");
        JsonNode updated = Api.awaitAudit("user.updated", name);
        assertThat(updated.path("data").path("actor").path("name").asText()).isEqualTo(AuthTestProfile.ADMIN);

        given().auth().oauth2(admin).contentType("application/json").body(Map.of("roles", List.of("superuser")))
                .patch("/v1/admin/users/" + id).then().statusCode(422);
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("disabled", true))
                .patch("/v1/admin/users/" + id).then().statusCode(200).body("disabled", equalTo(true));
        given().auth().oauth2(after).get("/v1/auth/me").then().statusCode(401);
        Api.login(name, PASSWORD).statusCode(401);
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("disabled", true))
                .patch("/v1/admin/users/00000000-0000-7000-8000-000000000000").then().statusCode(404);
    }

    @Test
    void serviceAccountsUseClientCredentialsUntilDeleted() {
        String admin = Api.adminToken();
        String name = Api.uniqueName("ci");
        ExtractableResponse<Response> created = given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("name", name, "roles", List.of("kms")))
                .post("/v1/admin/service-accounts").then()
                .statusCode(201)
                .body("clientId", equalTo(name))
                .body("clientSecret", notNullValue())
                .extract();
        String id = created.path("id");
        String secret = created.path("clientSecret");
        given().auth().oauth2(admin).get("/v1/admin/service-accounts").then()
                .statusCode(200)
                .body("items.find { it.id == '" + id + "' }", not(hasKey("clientSecret")));
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("name", name, "roles", List.of("kms")))
                .post("/v1/admin/service-accounts").then().statusCode(409);

        String token = given().contentType("application/x-www-form-urlencoded").header("X-Forwarded-For", Api.newIp())
                .formParam("grant_type", "client_credentials").formParam("client_id", name).formParam("client_secret", secret)
                .post("/v1/auth/token").then()
                .statusCode(200)
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(900))
                .extract().path("access_token");
        JsonNode claims = Jwts.payload(token);
        assertThat(claims.path("principal_type").asText()).isEqualTo("service");
        assertThat(claims.path("upn").asText()).isEqualTo(name);
        assertThat(claims.path("groups").toString()).isEqualTo("[\"kms\"]");
        given().auth().oauth2(token).get("/v1/auth/me").then().statusCode(200).body("type", equalTo("service"));

        given().contentType("application/x-www-form-urlencoded").auth().preemptive().basic(name, "wrong-secret")
                .formParam("grant_type", "client_credentials")
                .post("/v1/auth/token").then().statusCode(401).body("error", equalTo("invalid_client"));
        given().contentType("application/x-www-form-urlencoded").auth().preemptive().basic(name, secret)
                .formParam("grant_type", "client_credentials")
                .post("/v1/auth/token").then().statusCode(200);
        given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "password").formParam("client_id", name).formParam("client_secret", secret)
                .post("/v1/auth/token").then().statusCode(400).body("error", equalTo("unsupported_grant_type"));
        Api.awaitAudit("service_account.login", name);

        given().auth().oauth2(admin).delete("/v1/admin/service-accounts/" + id).then().statusCode(204);
        given().auth().oauth2(token).get("/v1/auth/me").then().statusCode(401);
        given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").formParam("client_id", name).formParam("client_secret", secret)
                .post("/v1/auth/token").then().statusCode(401);
    }

    @Test
    void aTokenRequestWithAnOversizedOrDeeplyNestedFormIs413ProblemJsonNot500() {
        // found by the stack fuzzer: Quarkus' last-resort handler answered these 500 with its own JSON
        given().contentType("application/x-www-form-urlencoded").header("X-Forwarded-For", Api.newIp())
                .formParam("grant_type", "client_credentials").formParam("client_id", "secrets-service")
                .formParam("client_secret", "s".repeat(30_000))
                .post("/v1/auth/token").then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strongroom.dev/problems/too-large"))
                .body("status", equalTo(413))
                .body(not(org.hamcrest.Matchers.containsString("ssss")));
        given().contentType("application/x-www-form-urlencoded").header("X-Forwarded-For", Api.newIp())
                .body("{\"a\":".repeat(6000) + "1" + "}".repeat(6000))
                .post("/v1/auth/token").then()
                .statusCode(413)
                .contentType("application/problem+json");
    }

    @Test
    void serviceClientsFromConfigurationCanGetTokensAtOnce() {
        String token = given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").formParam("client_id", "secrets-service")
                .formParam("client_secret", AuthTestProfile.SECRETS_SERVICE_SECRET)
                .post("/v1/auth/token").then().statusCode(200).extract().path("access_token");
        assertThat(Jwts.payload(token).path("groups").toString()).isEqualTo("[\"kms\",\"user\"]");
        assertThat(Jwts.payload(token).path("upn").asText()).isEqualTo("secrets-service");
    }
}
