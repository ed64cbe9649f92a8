package dev.strongroom.secrets;

import static dev.strongroom.secrets.Api.as;
import static dev.strongroom.secrets.Api.create;
import static dev.strongroom.secrets.Api.grant;
import static dev.strongroom.secrets.Api.plaintext;
import static dev.strongroom.secrets.Api.reveal;
import static dev.strongroom.secrets.Api.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.testing.AppDatabase;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.KeyServiceTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every reveal and change reaches the audit topic, recorded in its own transaction; without its event nothing happens. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(value = KeyServiceTestResource.class,
        initArgs = @ResourceArg(name = "token-property", value = "strongroom.secrets.kms.token"))
class SecretAuditTest {

    @Test
    void everyStepOfASecretsLifeIsOnTheAuditTopic() {
        String name = uniqueName("audited");
        String value = plaintext("audited");
        String id = create("alice", Api.body("name", name, "environment", "production", "value", value,
                "rotation", Map.of("intervalDays", 90, "generator", Map.of("type", "uuid"))));
        reveal("alice", id).statusCode(200);
        as("alice").body(Map.of("value", plaintext("audited2"))).put("/v1/secrets/" + id + "/value").then().statusCode(200);
        as("alice").body(Map.of()).post("/v1/secrets/" + id + "/rotate").then().statusCode(200);
        as("alice").body(Map.of("version", 1)).post("/v1/secrets/" + id + "/rollback").then().statusCode(200);
        as("alice").body(Map.of("description", "audited")).patch("/v1/secrets/" + id).then().statusCode(200);
        grant("alice", id, Map.of("user:bob", List.of("READ")));
        reveal("bob", id).statusCode(200);
        as("alice").delete("/v1/secrets/" + id + "/versions/2").then().statusCode(204);
        as("alice").delete("/v1/secrets/" + id).then().statusCode(204);
        as("alice").post("/v1/secrets/" + id + "/restore").then().statusCode(200);

        JsonNode created = AuditEvents.await("secret.created", id);
        assertThat(created.path("type").asText()).isEqualTo("strongroom.secret.created");
        assertThat(created.path("source").asText()).isEqualTo("strongroom/secrets-service");
        JsonNode resource = created.path("data").path("resource");
        assertThat(resource.path("type").asText()).isEqualTo("secret");
        assertThat(resource.path("id").asText()).isEqualTo(id);
        assertThat(resource.path("name").asText()).isEqualTo(name);
        assertThat(resource.path("environment").asText()).isEqualTo("production");
        assertThat(resource.path("version").asInt()).isEqualTo(1);
        assertThat(created.path("data").path("actor").path("name").asText()).isEqualTo("alice");
        assertThat(created.path("data").path("actor").path("type").asText()).isEqualTo("user");
        assertThat(created.path("data").path("requestId").asText()).isNotEmpty();

        JsonNode read = AuditEvents.await("secret.read", id, e -> "alice".equals(e.path("data").path("actor").path("name").asText()));
        assertThat(read.path("data").path("outcome").asText()).isEqualTo("success");
        assertThat(read.path("data").path("details").path("accessVia").asText()).isEqualTo("owner");
        AuditEvents.await("secret.read", id, e -> "bob".equals(e.path("data").path("actor").path("name").asText())
                && "grant".equals(e.path("data").path("details").path("accessVia").asText()));
        AuditEvents.await("secret.updated", id, e -> e.path("data").path("resource").path("version").asInt() == 2);
        AuditEvents.await("secret.rotated", id, e -> "manual".equals(e.path("data").path("details").path("trigger").asText())
                && "uuid".equals(e.path("data").path("details").path("generator").asText()));
        AuditEvents.await("secret.rolled_back", id, e -> e.path("data").path("details").path("fromVersion").asInt() == 1
                && e.path("data").path("resource").path("version").asInt() == 4);
        AuditEvents.await("secret.metadata_updated", id, e -> e.path("data").path("details").path("fields").toString().contains("description"));
        AuditEvents.await("secret.access_changed", id, e -> e.path("data").path("details").path("grants").toString().contains("user:bob=READ"));
        AuditEvents.await("secret.version_destroyed", id, e -> e.path("data").path("resource").path("version").asInt() == 2);
        AuditEvents.await("secret.deleted", id);
        AuditEvents.await("secret.restored", id);
        for (String event : AuditEvents.raw()) {
            assertThat(event).doesNotContain(value);
        }
    }

    @Test
    void aRevealWhoseEventCannotBeStoredFailsAndShowsNothing() throws Exception {
        String value = plaintext("no-audit");
        String id = create("alice", uniqueName("noaudit"), "production", value);
        try (Connection c = AppDatabase.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_outbox FOR EACH ROW"
                    + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit store refuses'");
        }
        try {
            reveal("alice", id).statusCode(503)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://strongroom.dev/problems/audit-unavailable"))
                    .body(not(containsString(value)));
            as("alice").body(Map.of("value", plaintext("no-audit-write"))).put("/v1/secrets/" + id + "/value").then()
                    .statusCode(503);
            as("alice").body(Map.of("name", uniqueName("noaudit-create"), "environment", "production", "value", "x"))
                    .post("/v1/secrets").then().statusCode(503);
        } finally {
            try (Connection c = AppDatabase.connect(); Statement s = c.createStatement()) {
                s.execute("DROP TRIGGER refuse_audit");
            }
        }
        // The refused write left no version behind; the value is served again now that audit works.
        reveal("alice", id).statusCode(200).body("value", equalTo(value)).body("version", equalTo(1));
        assertThat(AuditEvents.all("secret.updated", id)).isEmpty();
    }

    @Test
    void aFailedReadOfAnExpiredSecretIsAudited() throws Exception {
        String id = create("alice", Api.body("name", uniqueName("expaudit"), "environment", "staging", "value", plaintext("e"),
                "expiresAt", java.time.Instant.now().plusSeconds(3600).toString()));
        AppDatabase.update("UPDATE secret SET expires_at = ? WHERE id = ?",
                java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).minusMinutes(1), TestDb.idBytes(id));
        reveal("alice", id).statusCode(410);
        JsonNode failed = AuditEvents.await("secret.read", id, e -> "failure".equals(e.path("data").path("outcome").asText()));
        assertThat(failed.path("data").path("reason").asText()).isEqualTo("secret expired");
    }
}
