package dev.strongroom.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Workloads exchange a projected service-account token from a (test) cluster issuer for a Strongroom token. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KubernetesIssuer.class)
class KubernetesLoginTest {

    private String role;

    @BeforeEach
    void createRole() {
        role = Api.uniqueName("payments");
        given().auth().oauth2(Api.adminToken()).contentType("application/json")
                .body(Map.of("name", role, "boundNamespaces", List.of("payments"), "boundServiceAccounts", List.of("api", "worker"),
                        "audience", "strongroom", "roles", List.of("user")))
                .post("/v1/admin/kubernetes/roles").then()
                .statusCode(201)
                .body("name", equalTo(role));
    }

    @Test
    void aBoundWorkloadGetsATokenOfItsOwnIdentity() {
        String access = login(KubernetesIssuer.token("payments", "api", "strongroom")).statusCode(200)
                .body("tokenType", equalTo("Bearer"))
                .body("expiresIn", equalTo(900))
                .extract().path("accessToken");
        JsonNode claims = Jwts.payload(access);
        assertThat(claims.path("sub").asText()).isEqualTo("workload:payments/api");
        assertThat(claims.path("upn").asText()).isEqualTo("payments/api");
        assertThat(claims.path("principal_type").asText()).isEqualTo("workload");
        given().auth().oauth2(access).get("/v1/auth/me").then().statusCode(200)
                .body("username", equalTo("payments/api"))
                .body("type", equalTo("workload"));
        Api.awaitAudit("workload.login", "payments/api");
    }

    @Test
    void refusesEverythingThatDoesNotMatch() {
        login(KubernetesIssuer.token("billing", "api", "strongroom")).statusCode(401)
                .body("type", equalTo("https://strongroom.dev/problems/workload-refused"));
        login(KubernetesIssuer.token("payments", "frontend", "strongroom")).statusCode(401);
        login(KubernetesIssuer.token("payments", "api", "vault")).statusCode(401);
        login(KubernetesIssuer.sign(KubernetesIssuer.claims("payments", "api", "strongroom", KubernetesIssuer.ISSUER, -5),
                KubernetesIssuer.key())).statusCode(401);
        login(KubernetesIssuer.sign(KubernetesIssuer.claims("payments", "api", "strongroom", "https://other-cluster", 10),
                KubernetesIssuer.key())).statusCode(401);
        login(KubernetesIssuer.sign(KubernetesIssuer.claims("payments", "api", "strongroom", KubernetesIssuer.ISSUER, 10),
                KubernetesIssuer.foreignKey())).statusCode(401);
        login("not-a-jwt").statusCode(401);
        Api.client().body(Map.of("role", "no-such-role", "jwt", KubernetesIssuer.token("payments", "api", "strongroom")))
                .post("/v1/auth/kubernetes/login").then().statusCode(401);
        Api.awaitAudit("workload.login_failed", "billing/api");
    }

    @Test
    void deletingTheRoleRevokesItsTokens() {
        String access = login(KubernetesIssuer.token("payments", "worker", "strongroom")).statusCode(200).extract().path("accessToken");
        given().auth().oauth2(Api.adminToken()).get("/v1/admin/kubernetes/roles").then().statusCode(200);
        given().auth().oauth2(Api.adminToken()).delete("/v1/admin/kubernetes/roles/" + role).then().statusCode(204);
        given().auth().oauth2(access).get("/v1/auth/me").then().statusCode(401);
        login(KubernetesIssuer.token("payments", "worker", "strongroom")).statusCode(401);
    }

    private io.restassured.response.ValidatableResponse login(String jwt) {
        return Api.client().body(Map.of("role", role, "jwt", jwt)).post("/v1/auth/kubernetes/login").then();
    }
}
