package dev.strongroom.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.LocalIssuer;
import dev.strongroom.testing.MariaDbTestResource;
import dev.strongroom.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

/**
 * Gateway identity providers: tokens of configured issuers are accepted with mapped, limited roles and a
 * qualified name; everything forged, stale, misdirected or unconfigured is a plain 401; Strongroom's own
 * tokens keep working beside them.
 */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(GatewayIssuers.class)
class GatewayIssuerTest {

    @Test
    void keycloakUserIsAQualifiedUserWithMappedRoles() {
        String subject = UUID.randomUUID().toString();
        String token = keycloak(subject, "alice", "strongroom-users", "offline_access");
        given().auth().oauth2(token).get("/v1/callers/me").then()
                .statusCode(200)
                .body("id", equalTo(subject + "@keycloak"))
                .body("name", equalTo("alice@keycloak"))
                .body("type", equalTo("USER"))
                .body("roles", containsInAnyOrder("user"))
                .body("sessionId", nullValue());
        given().auth().oauth2(token).get("/v1/callers/admin-only").then().statusCode(403);
    }

    @Test
    void aMappedAndAllowedRoleGrantsAdmin() {
        String token = keycloak(UUID.randomUUID().toString(), "root", "strongroom-admins");
        given().auth().oauth2(token).get("/v1/callers/me").then()
                .statusCode(200)
                .body("roles", containsInAnyOrder("admin", "user"));
        given().auth().oauth2(token).get("/v1/callers/admin-only").then().statusCode(200);
    }

    @Test
    void unmappedIssuerRolesAreDroppedEvenWhenNamedLikeOurs() {
        String token = keycloak(UUID.randomUUID().toString(), "mallory", "admin", "auditor", "kms");
        given().auth().oauth2(token).get("/v1/callers/me").then()
                .statusCode(200)
                .body("roles", empty());
        given().auth().oauth2(token).get("/v1/callers/admin-only").then().statusCode(403);
    }

    @Test
    void anIssuerWithDefaultsGrantsOnlyUserAndCannotClaimToBeAServiceOrSession() {
        JwtClaims claims = partnerClaims("bob@example.com");
        claims.setStringListClaim("groups", "user", "admin", "kms", "auditor");
        claims.setClaim("principal_type", "service");
        claims.setClaim("sid", "s-" + UUID.randomUUID());
        String token = GatewayIssuers.partner.sign(claims);
        given().auth().oauth2(token).get("/v1/callers/me").then()
                .statusCode(200)
                .body("name", equalTo("bob@example.com@partner"))
                .body("type", equalTo("USER"))
                .body("roles", containsInAnyOrder("user"))
                .body("sessionId", nullValue());
        given().auth().oauth2(token).get("/v1/callers/admin-only").then().statusCode(403);
    }

    @Test
    void strongroomTokensStillWorkBesideGatewayIssuers() {
        given().header("Authorization", TestTokens.bearer("root", "admin")).get("/v1/callers/admin-only").then()
                .statusCode(200);
        given().header("Authorization", TestTokens.bearer("carol", "user")).get("/v1/callers/me").then()
                .statusCode(200)
                .body("name", equalTo("carol"));
    }

    @Test
    void aPathSegmentNamedLikeATenantDoesNotChooseTheVerifier() {
        given().header("Authorization", TestTokens.bearer("carol", "user")).get("/v1/callers/keycloak/me").then()
                .statusCode(200)
                .body("name", equalTo("carol"));
        given().header("Authorization", TestTokens.bearer("carol", "user")).get("/v1/callers/partner/me").then()
                .statusCode(200);
        given().auth().oauth2(keycloak(UUID.randomUUID().toString(), "alice", "strongroom-users"))
                .get("/v1/callers/partner/me").then()
                .statusCode(200)
                .body("name", equalTo("alice@keycloak"));
    }

    @Test
    void aRotatedIssuerKeyIsFetchedAtOnce() {
        RsaJsonWebKey before = GatewayIssuers.partner.signingKey();
        GatewayIssuers.partner.rotate();
        given().auth().oauth2(GatewayIssuers.partner.sign(partnerClaims("dave@example.com"))).get("/v1/callers/me").then()
                .statusCode(200)
                .body("name", equalTo("dave@example.com@partner"));
        given().auth().oauth2(LocalIssuer.sign(partnerClaims("erin@example.com"), before)).get("/v1/callers/me").then()
                .statusCode(200);
    }

    @Test
    void anUnconfiguredIssuerIs401() {
        LocalIssuer stranger = GatewayIssuers.stranger;
        JwtClaims claims = stranger.claims("u-1", GatewayIssuers.KEYCLOAK_AUDIENCE);
        claims.setClaim("preferred_username", "alice");
        claims.setClaim("realm_access", Map.of("roles", List.of("strongroom-admins")));
        assertRefused(stranger.sign(claims));
    }

    @Test
    void anotherIssuersKeyIs401() {
        // Partner's key signing a token that names Keycloak as its issuer, and the other way round.
        assertRefused(LocalIssuer.sign(keycloakClaims("alice", "strongroom-users"), GatewayIssuers.partner.signingKey()));
        assertRefused(LocalIssuer.sign(partnerClaims("bob@example.com"), GatewayIssuers.keycloak.signingKey()));
        // A Strongroom-shaped token claiming a gateway issuer, signed with Strongroom's (test) key.
        assertRefused(TestTokens.builder().issuer(GatewayIssuers.keycloak.issuer()).audience(GatewayIssuers.KEYCLOAK_AUDIENCE).sign());
    }

    @Test
    void tamperedPayloadIs401() {
        String[] parts = keycloak(UUID.randomUUID().toString(), "mallory", "strongroom-users").split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("strongroom-users", "strongroom-admins");
        assertRefused(parts[0] + "." + b64(payload) + "." + parts[2]);
    }

    @Test
    void expiredIs401() {
        JwtClaims claims = keycloakClaims("alice", "strongroom-users");
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(-10);
        assertRefused(GatewayIssuers.keycloak.sign(claims));
    }

    @Test
    void wrongAudienceIs401() {
        JwtClaims claims = keycloakClaims("alice", "strongroom-users");
        claims.setAudience("account");
        assertRefused(GatewayIssuers.keycloak.sign(claims));
        JwtClaims partner = partnerClaims("bob@example.com");
        partner.setAudience(GatewayIssuers.KEYCLOAK_AUDIENCE);
        assertRefused(GatewayIssuers.partner.sign(partner));
    }

    @Test
    void algNoneIs401() {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        assertRefused(header + "." + b64(keycloakClaims("mallory", "strongroom-admins").toJson()) + ".");
        assertRefused(header + "." + b64(partnerClaims("mallory@example.com").toJson()) + ".");
    }

    @Test
    void hs256WithThePublicKeyAsSecretIs401() throws Exception {
        for (LocalIssuer issuer : List.of(GatewayIssuers.keycloak, GatewayIssuers.partner)) {
            RsaJsonWebKey key = issuer.signingKey();
            JwtClaims claims = issuer == GatewayIssuers.keycloak ? keycloakClaims("mallory", "strongroom-admins")
                    : partnerClaims("mallory@example.com");
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setKey(new HmacKey(key.getRsaPublicKey().getEncoded()));
            jws.setDoKeyValidation(false);
            assertRefused(jws.getCompactSerialization());
        }
    }

    @Test
    void unknownKidIs401() {
        RsaJsonWebKey unpublished = LocalIssuer.newKey();
        assertRefused(LocalIssuer.sign(keycloakClaims("mallory", "strongroom-admins"), unpublished));
        assertRefused(LocalIssuer.sign(partnerClaims("mallory@example.com"), unpublished));
    }

    @Test
    void aNameThatCannotBeAPrincipalIs401() {
        JwtClaims claims = keycloakClaims("alice smith", "strongroom-users");
        assertRefused(GatewayIssuers.keycloak.sign(claims));
        JwtClaims partner = partnerClaims("x");
        partner.unsetClaim("email");
        assertRefused(GatewayIssuers.partner.sign(partner));
    }

    private static String keycloak(String subject, String username, String... realmRoles) {
        JwtClaims claims = keycloakClaims(username, realmRoles);
        claims.setSubject(subject);
        return GatewayIssuers.keycloak.sign(claims);
    }

    /** Shaped like a Keycloak access token: preferred_username, realm_access.roles, azp, scope. */
    private static JwtClaims keycloakClaims(String username, String... realmRoles) {
        JwtClaims claims = GatewayIssuers.keycloak.claims(UUID.randomUUID().toString(), GatewayIssuers.KEYCLOAK_AUDIENCE);
        claims.setClaim("typ", "Bearer");
        claims.setClaim("azp", "api-gateway");
        claims.setClaim("preferred_username", username);
        claims.setClaim("realm_access", Map.of("roles", List.of(realmRoles)));
        claims.setClaim("scope", "openid profile email");
        return claims;
    }

    private static JwtClaims partnerClaims(String email) {
        JwtClaims claims = GatewayIssuers.partner.claims("p-" + UUID.randomUUID(), "strongroom");
        claims.setClaim("email", email);
        claims.setStringListClaim("groups", "user");
        return claims;
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(String token) {
        given().auth().oauth2(token).get("/v1/callers/me").then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("detail", equalTo("A valid access token is required: send Authorization: Bearer <access token>."));
    }
}
