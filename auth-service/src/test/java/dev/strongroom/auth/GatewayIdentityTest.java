package dev.strongroom.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.LocalIssuer;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/**
 * auth-service verifies its own tokens in memory ahead of quarkus-oidc; a gateway issuer's tokens must still
 * reach quarkus-oidc's tenant there, become qualified users, and act (audited) only within their mapped roles.
 */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(GatewayIdentityTest.Keycloak.class)
class GatewayIdentityTest {

    @Test
    void aGatewayUserIsKnownByItsQualifiedName() {
        String subject = UUID.randomUUID().toString();
        given().auth().oauth2(token(subject, "alice", "strongroom-users")).get("/v1/auth/me").then()
                .statusCode(200)
                .body("id", equalTo(subject + "@keycloak"))
                .body("username", equalTo("alice@keycloak"))
                .body("roles", contains("user"))
                .body("type", equalTo("user"));
        // No Strongroom account behind it: nothing to enrol, and no admin rights.
        given().auth().oauth2(token(subject, "alice", "strongroom-users")).contentType("application/json")
                .body("{\"password\":\"whatever\"}").post("/v1/auth/mfa/totp").then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(token(subject, "alice", "strongroom-users", "admin")).get("/v1/admin/users").then()
                .statusCode(403);
    }

    @Test
    void aMappedGatewayAdminAdministersAndIsAuditedByItsQualifiedName() {
        String admin = token(UUID.randomUUID().toString(), "ops", "strongroom-admins");
        String name = Api.uniqueName("gw-svc");
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("name", name, "roles", List.of("kms")))
                .post("/v1/admin/service-accounts").then()
                .statusCode(201);
        JsonNode event = Api.awaitAudit("service_account.created", name);
        assertThat(event.path("data").path("actor").path("name").asText()).isEqualTo("ops@keycloak");
        assertThat(event.path("data").path("actor").path("type").asText()).isEqualToIgnoringCase("user");
    }

    @Test
    void ownTokensStillPassAndForeignOnesStillFail() {
        given().auth().oauth2(Api.adminToken()).get("/v1/admin/users").then().statusCode(200);
        given().auth().oauth2(LocalIssuer.sign(claims("mallory", "strongroom-admins"), LocalIssuer.newKey()))
                .get("/v1/auth/me").then()
                .statusCode(401)
                .contentType("application/problem+json");
    }

    private static String token(String subject, String username, String... roles) {
        JwtClaims claims = claims(username, roles);
        claims.setSubject(subject);
        return Keycloak.issuer.sign(claims);
    }

    private static JwtClaims claims(String username, String... roles) {
        JwtClaims claims = Keycloak.issuer.claims(UUID.randomUUID().toString(), "strongroom");
        claims.setClaim("preferred_username", username);
        claims.setClaim("realm_access", Map.of("roles", List.of(roles)));
        return claims;
    }

    /** A Keycloak-like realm behind an API gateway, configured as an operator would. */
    public static class Keycloak implements QuarkusTestResourceLifecycleManager {
        static LocalIssuer issuer;

        @Override
        public Map<String, String> start() {
            issuer = LocalIssuer.start("acme");
            return Map.of(
                    "quarkus.oidc.keycloak.auth-server-url", issuer.url(),
                    "quarkus.oidc.keycloak.token.issuer", issuer.issuer(),
                    "quarkus.oidc.keycloak.token.audience", "strongroom",
                    "strongroom.security.issuers.keycloak.role-map", "strongroom-admins=admin,strongroom-users=user",
                    "strongroom.security.issuers.keycloak.allowed-roles", "user,admin");
        }

        @Override
        public void stop() {
            if (issuer != null) {
                issuer.close();
            }
        }
    }
}
