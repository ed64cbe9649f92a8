package dev.strongroom.auth;

import static dev.strongroom.auth.Api.PASSWORD;
import static dev.strongroom.auth.Api.client;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.crypto.passwords.Argon2Parameters;
import dev.strongroom.crypto.passwords.PasswordHasher;
import dev.strongroom.security.revocation.SessionRevocation;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** Registration, password login, refresh-token rotation and reuse detection, logout, lockout and rate limits. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KubernetesIssuer.class)
class AccountFlowTest {

    @Test
    void registersWithTheUserRoleAndAuditsWhoAndFromWhere() {
        String name = Api.uniqueName("reg");
        client("203.0.113.7").body(Map.of("username", name, "password", PASSWORD, "email", name + "@example.com"))
                .post("/v1/auth/register").then()
                .statusCode(201)
                .body("id", notNullValue())
                .body("username", equalTo(name))
                .body("roles", contains("user"))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("password")));
        JsonNode event = Api.awaitAudit("user.registered", name);
        assertThat(event.path("data").path("actor").path("ip").asText()).isEqualTo("203.0.113.7");
        assertThat(event.path("data").path("actor").path("userAgent").asText()).isEqualTo("auth-tests/1.0");
        assertThat(event.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void refusesTakenNamesBadNamesAndWeakPasswords() {
        String name = Api.uniqueName("dup");
        Api.register(name);
        client().body(Map.of("username", name.toUpperCase(), "password", PASSWORD)).post("/v1/auth/register").then()
                .statusCode(409).contentType("application/problem+json");
        client().body(Map.of("username", "a b", "password", PASSWORD)).post("/v1/auth/register").then()
                .statusCode(422).body("errors.field", hasItem("username"));
        client().body(Map.of("username", Api.uniqueName("weak"), "password", "1qaz2wsx3edc")).post("/v1/auth/register").then()
                .statusCode(422).body("errors[0].field", equalTo("password"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("common"));
        String other = Api.uniqueName("self");
        client().body(Map.of("username", other, "password", "xx " + other + " yy")).post("/v1/auth/register").then()
                .statusCode(422).body("errors[0].message", org.hamcrest.Matchers.containsString("username"));
        client().body(Map.of("username", Api.uniqueName("short"), "password", "short")).post("/v1/auth/register").then()
                .statusCode(422);
    }

    @Test
    void logsInWithTokensCarryingTheContractClaims() {
        String name = Api.uniqueName("login");
        String id = Api.register(name);
        ExtractableResponse<Response> answer = Api.login(name, PASSWORD).statusCode(200)
                .body("tokenType", equalTo("Bearer"))
                .body("expiresIn", equalTo(900))
                .extract();
        String access = answer.path("accessToken");
        assertThat((String) answer.path("refreshToken")).hasSizeGreaterThanOrEqualTo(43);
        JsonNode claims = Jwts.payload(access);
        assertThat(claims.path("iss").asText()).isEqualTo("strongroom");
        assertThat(claims.path("aud").toString()).contains("strongroom");
        assertThat(claims.path("sub").asText()).isEqualTo(id);
        assertThat(claims.path("upn").asText()).isEqualTo(name);
        assertThat(claims.path("groups").toString()).isEqualTo("[\"user\"]");
        assertThat(claims.path("sid").asText()).isNotBlank();
        assertThat(claims.path("jti").asText()).isNotBlank();
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(900);
        assertThat(Jwts.header(access).path("alg").asText()).isEqualTo("RS256");
        assertThat(Jwts.header(access).path("kid").asText()).isNotBlank();

        given().auth().oauth2(access).get("/v1/auth/me").then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("username", equalTo(name))
                .body("roles", contains("user"))
                .body("mfaEnabled", equalTo(false));
        JsonNode login = Api.awaitAudit("user.login", name);
        assertThat(login.path("data").path("details").path("sessionId").asText()).isEqualTo(claims.path("sid").asText());
    }

    @Test
    void unknownUsersAndWrongPasswordsGetTheSameAnswer() {
        String name = Api.uniqueName("same");
        Api.register(name);
        String wrong = Api.login(name, "not the password at all").statusCode(401).contentType("application/problem+json")
                .extract().body().jsonPath().getString("type") + "|"
                + Api.login(name, "not the password at all").extract().body().jsonPath().getString("detail");
        String unknown = Api.login(Api.uniqueName("ghost"), "not the password at all").statusCode(401)
                .extract().body().jsonPath().getString("type") + "|"
                + Api.login(Api.uniqueName("ghost"), "not the password at all").extract().body().jsonPath().getString("detail");
        assertThat(unknown).isEqualTo(wrong).startsWith("https://strongroom.dev/problems/invalid-credentials|");
        JsonNode failed = Api.awaitAudit("user.login_failed", name);
        assertThat(failed.path("data").path("outcome").asText()).isEqualTo("failure");
    }

    @Test
    void refreshRotatesAndAReusedTokenRevokesTheWholeFamily() {
        String name = Api.uniqueName("rot");
        Api.register(name);
        String[] first = Api.tokens(name);
        String sid = Jwts.payload(first[0]).path("sid").asText();

        ExtractableResponse<Response> second = client().body(Map.of("refreshToken", first[1])).post("/v1/auth/refresh").then()
                .statusCode(200).body("tokenType", equalTo("Bearer")).extract();
        String secondAccess = second.path("accessToken");
        String secondRefresh = second.path("refreshToken");
        assertThat(secondRefresh).isNotEqualTo(first[1]);
        assertThat(Jwts.payload(secondAccess).path("sid").asText()).isEqualTo(sid);
        Api.awaitAudit("token.refreshed", name);

        // The old token again: theft. Everything of the session dies.
        client().body(Map.of("refreshToken", first[1])).post("/v1/auth/refresh").then()
                .statusCode(401).body("type", equalTo("https://strongroom.dev/problems/invalid-refresh-token"));
        client().body(Map.of("refreshToken", secondRefresh)).post("/v1/auth/refresh").then().statusCode(401);
        given().auth().oauth2(secondAccess).get("/v1/auth/me").then().statusCode(401);
        JsonNode reuse = Api.awaitAudit("token.reuse_detected", name);
        assertThat(reuse.path("data").path("resource").path("id").asText()).isEqualTo(sid);
        Api.awaitRecords(SessionRevocation.TOPIC, r -> sid.equals(r.key()), Duration.ofSeconds(5));
    }

    @Test
    void logoutRevokesTheSessionEverywhereWithinSeconds() {
        String name = Api.uniqueName("bye");
        Api.register(name);
        String[] tokens = Api.tokens(name);
        String sid = Jwts.payload(tokens[0]).path("sid").asText();
        given().auth().oauth2(tokens[0]).get("/v1/auth/me").then().statusCode(200);

        given().auth().oauth2(tokens[0]).post("/v1/auth/logout").then().statusCode(204);

        given().auth().oauth2(tokens[0]).get("/v1/auth/me").then().statusCode(401).contentType("application/problem+json");
        client().body(Map.of("refreshToken", tokens[1])).post("/v1/auth/refresh").then().statusCode(401);
        JsonNode revocation = Api.awaitRecords(SessionRevocation.TOPIC, r -> sid.equals(r.key()), Duration.ofSeconds(5)).getFirst();
        assertThat(revocation.path("reason").asText()).isEqualTo("logout");
        assertThat(revocation.path("expiresAt").asLong()).isGreaterThan(System.currentTimeMillis() + 800_000);
        Api.awaitAudit("user.logout", name);
    }

    @Test
    void refreshRotationCannotCarryASessionPastItsAbsoluteLifetime() throws Exception {
        String name = Api.uniqueName("absolute");
        Api.register(name);
        // 29 days in: a refresh still works, but the new refresh token ends with the session (30 days), not 7 days on
        String[] young = Api.tokens(name);
        String youngSid = Jwts.payload(young[0]).path("sid").asText();
        ageSession(youngSid, 29);
        String rotated = client().body(Map.of("refreshToken", young[1])).post("/v1/auth/refresh").then()
                .statusCode(200).extract().path("refreshToken");
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement("SELECT TIMESTAMPDIFF(SECOND, r.expires_at, s.created_at + INTERVAL 30 DAY)"
                + " FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id WHERE r.session_id = ? AND r.used_at IS NULL")) {
            s.setString(1, youngSid);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).as("seconds between the refresh token's end and the session's end").isBetween(0L, 1L);
            }
        }
        // past 30 days: refused, however fresh the refresh token
        ageSession(youngSid, 2);
        client().body(Map.of("refreshToken", rotated)).post("/v1/auth/refresh").then()
                .statusCode(401)
                .contentType("application/problem+json");
    }

    private static void ageSession(String sid, int days) throws Exception {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(
                "UPDATE sessions SET created_at = created_at - INTERVAL " + days + " DAY WHERE id = ?")) {
            s.setString(1, sid);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }

    @Test
    void locksAfterFiveFailuresWithGrowingDelayUntilAnAdminUnlocks() {
        String name = Api.uniqueName("lock");
        String id = Api.register(name);
        for (int i = 0; i < 5; i++) {
            Api.login(name, "wrong password number " + i).statusCode(401);
        }
        // locked, even the right password is answered exactly like a wrong one for a made-up account
        var lockedAnswer = Api.login(name, PASSWORD).statusCode(401).extract();
        var unknownAnswer = Api.login(Api.uniqueName("nobody"), PASSWORD).statusCode(401).extract();
        assertThat(lockedAnswer.contentType()).isEqualTo(unknownAnswer.contentType());
        assertThat(lockedAnswer.header("Retry-After")).isNull();
        assertThat(lockedAnswer.headers().asList().stream().map(h -> h.getName().toLowerCase()).sorted().toList())
                .isEqualTo(unknownAnswer.headers().asList().stream().map(h -> h.getName().toLowerCase()).sorted().toList());
        assertThat(withoutInstance(lockedAnswer.asString())).isEqualTo(withoutInstance(unknownAnswer.asString()));
        JsonNode locked = Api.awaitAudit("user.locked", name);
        assertThat(locked.path("data").path("details").path("lockSeconds").asLong()).isEqualTo(30);
        // the lock holds and shows: the audit log says why the login failed, admins see lockedUntil
        JsonNode refused = Api.awaitRecords("strongroom.audit.v1", r -> r.value() != null
                && "strongroom.user.login_failed".equals(r.value().path("type").asText())
                && name.equals(r.value().path("data").path("actor").path("name").asText())
                && "account locked".equals(r.value().path("data").path("reason").asText()), Duration.ofSeconds(15)).getFirst();
        assertThat(refused.path("data").path("details").path("lockSeconds").asLong()).isBetween(1L, 31L);
        assertThat(adminView(id).path("lockedUntil").asText()).as("lockedUntil an admin sees").isNotBlank();

        given().auth().oauth2(Api.adminToken()).post("/v1/admin/users/" + id + "/unlock").then().statusCode(204);
        Api.login(name, PASSWORD).statusCode(200);
        Api.awaitAudit("user.unlocked", name);
    }

    @Test
    void limitsLoginsPerClientAddress() {
        String ip = Api.newIp();
        // 20 per minute: the first 20 pass the limiter; the bucket refills one every 3 s, so a few more calls must hit it.
        for (int i = 0; i < 20; i++) {
            Api.login(ip, Api.uniqueName("nobody"), "whatever password", null).statusCode(401);
        }
        String retry = null;
        for (int i = 0; i < 5 && retry == null; i++) {
            var answer = Api.login(ip, Api.uniqueName("nobody"), "whatever password", null).extract();
            if (answer.statusCode() == 429) {
                assertThat(answer.contentType()).startsWith("application/problem+json");
                retry = answer.header("Retry-After");
            }
        }
        assertThat(retry).isNotNull();
        assertThat(Long.parseLong(retry)).isPositive();
        // Another address is not affected.
        Api.login(Api.newIp(), Api.uniqueName("nobody"), "whatever password", null).statusCode(401);
    }

    @Test
    void upgradesOldHashesToTheConfiguredParametersAtLogin() throws Exception {
        String name = Api.uniqueName("rehash");
        String id = Api.register(name);
        String old = new PasswordHasher(new Argon2Parameters(64, 1, 1)).hash(PASSWORD);
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement("UPDATE users SET password_hash = ? WHERE id = ?")) {
            s.setString(1, old);
            s.setString(2, id);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
        Api.login(name, PASSWORD).statusCode(200);
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement("SELECT password_hash FROM users WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).startsWith("$argon2id$v=19$m=256,t=1,p=1$");
            }
        }
        Api.login(name, PASSWORD).statusCode(200);
    }

    @Test
    void changingThePasswordRevokesSessions() {
        String name = Api.uniqueName("pw");
        Api.register(name);
        String[] tokens = Api.tokens(name);
        given().auth().oauth2(tokens[0]).contentType("application/json")
                .body(Map.of("currentPassword", "wrong current password", "newPassword", "a brand new passphrase"))
                .post("/v1/auth/password").then().statusCode(401);
        given().auth().oauth2(tokens[0]).contentType("application/json")
                .body(Map.of("currentPassword", PASSWORD, "newPassword", "a brand new passphrase"))
                .post("/v1/auth/password").then().statusCode(204);
        given().auth().oauth2(tokens[0]).get("/v1/auth/me").then().statusCode(401);
        Api.login(name, PASSWORD).statusCode(401);
        Api.login(name, "a brand new passphrase").statusCode(200);
    }

    @Test
    void publishesItsKeysAndDiscoveryDocument() {
        given().get("/v1/auth/jwks").then()
                .statusCode(200)
                .body("keys[0].kty", equalTo("RSA"))
                .body("keys[0].alg", equalTo("RS256"))
                .body("keys[0].use", equalTo("sig"))
                .body("keys[0].kid", equalTo(Jwts.serviceKey().getKeyId()))
                .body("keys[0].d", org.hamcrest.Matchers.nullValue())
                .body("keys[0].p", org.hamcrest.Matchers.nullValue());
        String discovery = given().header("Host", "evil.example:4443").header("X-Forwarded-Host", "evil.example")
                .header("X-Forwarded-Proto", "https")
                .get("/.well-known/openid-configuration").then()
                .statusCode(200)
                .body("issuer", equalTo("strongroom"))
                // from configuration (jwks-url here), never from the request's Host
                .body("jwks_uri", equalTo(ConfigProvider.getConfig().getValue("strongroom.auth.jwks-url", String.class)))
                .body("token_endpoint", org.hamcrest.Matchers.endsWith("/v1/auth/token"))
                // only what POST /v1/auth/token serves
                .body("grant_types_supported", org.hamcrest.Matchers.contains("client_credentials"))
                .extract().asString();
        assertThat(discovery).doesNotContain("evil.example");
    }

    @Test
    void aPasswordTypedAsTheUserNameStaysOutOfTheAuditLog() {
        String typo = "my passphrase " + UUID.randomUUID();
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
        for (String claimed : List.of(typo, jwt)) {
            String ip = Api.newIp();
            Api.login(ip, claimed, PASSWORD, null).statusCode(401).contentType("application/problem+json");
            JsonNode failed = Api.awaitRecords("strongroom.audit.v1", r -> r.value() != null
                    && "strongroom.user.login_failed".equals(r.value().path("type").asText())
                    && ip.equals(r.value().path("data").path("actor").path("ip").asText()), Duration.ofSeconds(15)).getFirst();
            assertThat(failed.path("data").path("actor").path("name").asText()).isEqualTo("[not a name]");
            assertThat(failed.toString()).doesNotContain(claimed);
        }
    }

    @Test
    void answersCarryingTokensAreNeverCached() {
        String name = Api.uniqueName("nostore");
        Api.register(name);
        var login = Api.login(name, PASSWORD).statusCode(200).header("Cache-Control", "no-store").extract();
        client().body(Map.of("refreshToken", login.path("refreshToken"))).post("/v1/auth/refresh").then()
                .statusCode(200)
                .header("Cache-Control", "no-store");
        given().auth().oauth2(login.<String>path("accessToken")).get("/v1/auth/me").then()
                .statusCode(200)
                .header("Cache-Control", "no-store");
        Api.login(name, "wrong password").statusCode(401).header("Cache-Control", "no-store");
        // the JWKS is public and cacheable on purpose
        given().get("/v1/auth/jwks").then().header("Cache-Control", "public, max-age=300");
    }

    static Connection connect() throws Exception {
        Config config = ConfigProvider.getConfig();
        return DriverManager.getConnection("jdbc:mariadb://" + config.getValue("strongroom.db.host", String.class) + ":"
                        + config.getValue("strongroom.db.port", Integer.class) + "/" + config.getValue("strongroom.db.name", String.class),
                config.getValue("strongroom.db.user", String.class),
                config.getOptionalValue("strongroom.db.password", String.class).orElse(""));
    }

    /** A problem body without what differs per request (requestId, instance). */
    private static JsonNode withoutInstance(String body) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode problem = (com.fasterxml.jackson.databind.node.ObjectNode)
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
            problem.remove("requestId");
            problem.remove("instance");
            return problem;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The user as GET /v1/admin/users lists it. */
    private static JsonNode adminView(String id) {
        String admin = Api.adminToken();
        String cursor = null;
        do {
            var request = given().auth().oauth2(admin).queryParam("limit", 100);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            String body = request.get("/v1/admin/users").then().statusCode(200).extract().asString();
            try {
                JsonNode page = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
                for (JsonNode user : page.path("items")) {
                    if (id.equals(user.path("id").asText())) {
                        return user;
                    }
                }
                cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        } while (cursor != null);
        throw new AssertionError("user " + id + " is not listed");
    }
}
