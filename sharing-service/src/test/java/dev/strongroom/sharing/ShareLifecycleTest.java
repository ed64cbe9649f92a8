package dev.strongroom.sharing;

import static dev.strongroom.sharing.Api.anonymous;
import static dev.strongroom.sharing.Api.as;
import static dev.strongroom.sharing.Api.decrypt;
import static dev.strongroom.sharing.Api.grants;
import static dev.strongroom.sharing.Api.plaintext;
import static dev.strongroom.sharing.Api.secret;
import static dev.strongroom.sharing.Api.secrets;
import static dev.strongroom.sharing.Api.share;
import static dev.strongroom.sharing.Api.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import dev.strongroom.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Create, list, open, reveal and revoke with the real secrets-service; every answer and audit event checked. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(SecretsServiceTestResource.class)
@WithTestResource(NotificationTestResource.class)
class ShareLifecycleTest {

    @Test
    void aShareOpensOnceAndItsCiphertextIsDeleted() throws Exception {
        String value = plaintext("once");
        String secretId = secret("alice", "staging", value);
        JsonPath created = share("alice", secretId, Map.of("ttlSeconds", 600));
        String url = created.getString("url");
        String id = created.getString("id");
        assertThat(url).matches("http://[^/]+/s/[A-Za-z0-9_-]{43}#[A-Za-z0-9_-]{43}");
        assertThat(created.getInt("maxViews")).isEqualTo(1);
        assertThat(created.getInt("version")).isEqualTo(1);
        assertThat(Instant.parse(created.getString("expiresAt"))).isBetween(Instant.now().plusSeconds(590), Instant.now().plusSeconds(610));
        assertThat(TestDb.ciphertext(id)).isNotNull();

        JsonPath opened = anonymous().body(Map.of()).post("/v1/shares/" + token(url) + "/open").then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body("viewsLeft", equalTo(0))
                .body("id", equalTo(id))
                .extract().jsonPath();
        assertThat(decrypt(url, opened)).isEqualTo(value);
        assertThat(opened.getString("ciphertext")).doesNotContain(value);

        anonymous().body(Map.of()).post("/v1/shares/" + token(url) + "/open").then()
                .statusCode(410)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strongroom.dev/problems/share-used-up"));
        assertThat(TestDb.ciphertext(id)).isNull();
        assertThat(TestDb.state(id)).isEqualTo("used");
        as("alice").get("/v1/shares").then().statusCode(200)
                .body("items.find { it.id == '" + id + "' }.state", equalTo("used"))
                .body("items.find { it.id == '" + id + "' }.viewsLeft", equalTo(0));

        JsonNode createdEvent = AuditEvents.await("share.created", id);
        assertThat(createdEvent.path("data").path("actor").path("name").asText()).isEqualTo("alice");
        assertThat(createdEvent.path("data").path("resource").path("environment").asText()).isEqualTo("staging");
        assertThat(createdEvent.path("data").path("details").path("secretId").asText()).isEqualTo(secretId);
        JsonNode openedEvent = AuditEvents.await("share.opened", id);
        assertThat(openedEvent.path("data").path("actor").path("type").asText()).isEqualTo("anonymous");
        assertThat(openedEvent.path("data").path("actor").path("ip").asText()).isNotBlank();
        assertThat(openedEvent.path("data").path("actor").path("userAgent").asText()).isNotBlank();
        assertThat(openedEvent.path("data").path("details").path("viewsLeft").asInt()).isZero();
        JsonNode refused = AuditEvents.await("share.open_refused", id);
        assertThat(refused.path("data").path("outcome").asText()).isEqualTo("denied");
        assertThat(refused.path("data").path("reason").asText()).isEqualTo("used_up");
    }

    @Test
    void revealDecryptsServerSideAndAWrongKeySpendsNothing() {
        String value = plaintext("reveal");
        String secretId = secret("alice", "development", value);
        JsonPath created = share("alice", secretId, Map.of("maxViews", 2));
        String url = created.getString("url");
        String token = token(url);
        String wrongKey = dev.strongroom.crypto.share.ShareCipher.encodeKey(dev.strongroom.crypto.share.ShareCipher.newKey());

        anonymous().body(Map.of("key", wrongKey)).post("/v1/shares/" + token + "/reveal").then()
                .statusCode(422)
                .body("errors[0].field", equalTo("key"));
        anonymous().body(Map.of("key", "short")).post("/v1/shares/" + token + "/reveal").then().statusCode(422);
        anonymous().body(Map.of()).post("/v1/shares/" + token + "/reveal").then().statusCode(422);
        anonymous().body(Map.of("key", Api.key(url))).post("/v1/shares/" + token + "/reveal").then()
                .statusCode(200)
                .body("value", equalTo(value))
                .body("viewsLeft", equalTo(1));
        anonymous().body(Map.of("key", Api.key(url))).post("/v1/shares/" + token + "/reveal").then()
                .statusCode(200)
                .body("value", equalTo(value))
                .body("viewsLeft", equalTo(0));
        anonymous().body(Map.of("key", Api.key(url))).post("/v1/shares/" + token + "/reveal").then().statusCode(410);
        assertThat(AuditEvents.awaitCount("share.opened", created.getString("id"), 2))
                .extracting(e -> e.path("data").path("details").path("via").asText())
                .containsOnly("reveal");
    }

    @Test
    void unknownAndMalformedTokensAre404() {
        anonymous().body(Map.of()).post("/v1/shares/" + dev.strongroom.crypto.Tokens.newToken() + "/open").then()
                .statusCode(404)
                .contentType("application/problem+json");
        anonymous().body(Map.of()).post("/v1/shares/not-a-token/open").then().statusCode(404);
        anonymous().body("{").post("/v1/shares/" + dev.strongroom.crypto.Tokens.newToken() + "/open").then().statusCode(400);
    }

    @Test
    void anOlderVersionCanBeSharedAndAnUnseenOneIs404() {
        String first = plaintext("v1");
        String secretId = secret("alice", "staging", first);
        secrets("alice").body(Map.of("value", plaintext("v2"))).put("/v1/secrets/" + secretId + "/value").then().statusCode(200);
        JsonPath created = share("alice", secretId, Map.of("version", 1));
        assertThat(created.getInt("version")).isEqualTo(1);
        String url = created.getString("url");
        assertThat(decrypt(url, anonymous().body(Map.of()).post("/v1/shares/" + token(url) + "/open").then().statusCode(200)
                .extract().jsonPath())).isEqualTo(first);
        as("alice").body(Map.of("secretId", secretId, "version", 7)).post("/v1/shares").then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void sharingNeedsShareOnTheSecret() {
        String value = plaintext("perm");
        String secretId = secret("alice", "production", value);
        grants("alice", secretId, Map.of("user:sam", List.of("SHARE"), "user:rita", List.of("READ")));
        // rita can read but not share: 403; mallory knows nothing: 404; sam shares without READ.
        as("rita").body(Map.of("secretId", secretId)).post("/v1/shares").then().statusCode(403).contentType("application/problem+json");
        as("mallory").body(Map.of("secretId", secretId)).post("/v1/shares").then().statusCode(404);
        JsonPath created = share("sam", secretId, Map.of());
        String url = created.getString("url");
        assertThat(decrypt(url, anonymous().body(Map.of()).post("/v1/shares/" + token(url) + "/open").then().statusCode(200)
                .extract().jsonPath())).isEqualTo(value);
        // Lists are per creator.
        as("sam").get("/v1/shares").then().body("items.id", hasItem(created.getString("id")));
        as("alice").get("/v1/shares").then().body("items.id", not(hasItem(created.getString("id"))));
    }

    @Test
    void securityMatrix() {
        String secretId = secret("alice", "staging", plaintext("matrix"));
        String id = share("alice", secretId, Map.of()).getString("id");
        anonymous().body(Map.of("secretId", secretId)).post("/v1/shares").then().statusCode(401).contentType("application/problem+json");
        anonymous().get("/v1/shares").then().statusCode(401);
        anonymous().delete("/v1/shares/" + id).then().statusCode(401);
        String expired = TestTokens.builder().name("alice").roles("user").expiresIn(Duration.ofMinutes(-10)).sign();
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + expired).get("/v1/shares").then().statusCode(401);
        String foreign = TestTokens.builder().name("alice").roles("user").issuer("elsewhere").sign();
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + foreign).get("/v1/shares").then().statusCode(401);
        // An auditor may list (nothing) but not create.
        as("audrey", "auditor").body(Map.of("secretId", secretId)).post("/v1/shares").then().statusCode(403);
        as("audrey", "auditor").get("/v1/shares").then().statusCode(200);
    }

    @Test
    void invalidRequestsAre422AndCreateNothing() {
        String secretId = secret("alice", "staging", plaintext("invalid"));
        int before = as("alice").get("/v1/shares?limit=500").then().extract().jsonPath().getList("items").size();
        as("alice").body(Map.of("secretId", secretId, "ttlSeconds", 59, "maxViews", 101, "passphrase", "abc", "notifyEmail", "nope"))
                .post("/v1/shares").then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("ttlSeconds", "maxViews", "passphrase", "notifyEmail")));
        as("alice").body(Map.of("secretId", "x")).post("/v1/shares").then().statusCode(422).body("errors[0].field", equalTo("secretId"));
        as("alice").body(Map.of("ttlSeconds", 600)).post("/v1/shares").then().statusCode(422);
        as("alice").body(Map.of("secretId", secretId, "ttlSeconds", 604801)).post("/v1/shares").then().statusCode(422);
        as("alice").body(Map.of("secretId", secretId, "maxViews", 0)).post("/v1/shares").then().statusCode(422);
        as("alice").body(Map.of("secretId", secretId, "version", 0)).post("/v1/shares").then().statusCode(422);
        as("alice").body(Map.of("secretId", secretId, "maxViews", "many")).post("/v1/shares").then().statusCode(400);
        as("alice").get("/v1/shares?limit=0").then().statusCode(422);
        as("alice").get("/v1/shares?cursor=%%%").then().statusCode(422);
        assertThat(as("alice").get("/v1/shares?limit=500").then().extract().jsonPath().getList("items")).hasSize(before);
    }

    @Test
    void revokeByCreatorOrAdminOnly() throws Exception {
        String secretId = secret("alice", "staging", plaintext("revoke"));
        JsonPath created = share("alice", secretId, Map.of("maxViews", 3));
        String id = created.getString("id");
        as("mallory").delete("/v1/shares/" + id).then().statusCode(404);
        as("alice").delete("/v1/shares/not-a-uuid").then().statusCode(404);
        as("alice").delete("/v1/shares/" + id).then().statusCode(204);
        as("alice").delete("/v1/shares/" + id).then().statusCode(204);
        anonymous().body(Map.of()).post("/v1/shares/" + token(created.getString("url")) + "/open").then()
                .statusCode(410)
                .body("type", equalTo("https://strongroom.dev/problems/share-revoked"));
        assertThat(TestDb.ciphertext(id)).isNull();
        assertThat(AuditEvents.awaitCount("share.revoked", id, 1)).hasSize(1);
        as("alice").get("/v1/shares").then().body("items.find { it.id == '" + id + "' }.state", equalTo("revoked"));

        String other = share("alice", secretId, Map.of()).getString("id");
        as("root", "admin").delete("/v1/shares/" + other).then().statusCode(204);
        assertThat(TestDb.state(other)).isEqualTo("revoked");
    }

    @Test
    void listPagesNewestFirstWithoutTokensOrKeys() {
        String secretId = secret("paula", "staging", plaintext("pages"));
        JsonPath a = share("paula", secretId, Map.of());
        JsonPath b = share("paula", secretId, Map.of());
        JsonPath c = share("paula", secretId, Map.of());
        JsonPath first = as("paula").get("/v1/shares?limit=2").then().statusCode(200)
                .body("items.id", equalTo(List.of(c.getString("id"), b.getString("id"))))
                .body("nextCursor", not(nullValue()))
                .extract().jsonPath();
        String body = as("paula").get("/v1/shares?limit=2&cursor=" + first.getString("nextCursor")).then().statusCode(200)
                .body("items.id", equalTo(List.of(a.getString("id"))))
                .body("nextCursor", nullValue())
                .body("items[0].state", equalTo("active"))
                .body("items[0].viewsLeft", equalTo(1))
                .body("items[0].secretId", equalTo(secretId))
                .extract().asString();
        for (JsonPath s : List.of(a, b, c)) {
            assertThat(body + first.prettify()).doesNotContain(token(s.getString("url"))).doesNotContain(Api.key(s.getString("url")));
        }
    }

    @Test
    void thePublicUrlIsTheLinkBase() {
        String secretId = secret("alice", "staging", plaintext("base"));
        as("alice").body(Map.of("secretId", secretId)).post("/v1/shares").then().statusCode(201)
                .body("url", startsWith("http://127.0.0.1:8083/s/"));
    }
}
