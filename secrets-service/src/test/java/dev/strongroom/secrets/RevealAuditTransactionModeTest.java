package dev.strongroom.secrets;

import static dev.strongroom.secrets.Api.create;
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
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code strongroom.secrets.reveal-audit=transaction}: each reveal's query and event in one transaction of its own. */
@QuarkusTest
@TestProfile(RevealAuditTransactionModeTest.TransactionMode.class)
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(value = KeyServiceTestResource.class,
        initArgs = @ResourceArg(name = "token-property", value = "strongroom.secrets.kms.token"))
class RevealAuditTransactionModeTest {

    public static class TransactionMode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("strongroom.secrets.reveal-audit", "transaction");
        }
    }

    @Inject
    MeterRegistry registry;

    @Test
    void aRevealIsAuditedInItsOwnTransactionAndFailsWithoutItsEvent() throws Exception {
        String value = plaintext("tx-mode");
        String id = create("alice", uniqueName("tx-mode"), "production", value);
        reveal("alice", id).statusCode(200).body("value", equalTo(value));
        JsonNode read = AuditEvents.await("secret.read", id);
        assertThat(read.path("data").path("details").path("accessVia").asText()).isEqualTo("owner");

        try (Connection c = AppDatabase.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TRIGGER refuse_tx_audit BEFORE INSERT ON audit_outbox FOR EACH ROW"
                    + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit store refuses'");
        }
        try {
            reveal("alice", id).statusCode(503)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://strongroom.dev/problems/audit-unavailable"))
                    .body(not(containsString(value)));
        } finally {
            try (Connection c = AppDatabase.connect(); Statement s = c.createStatement()) {
                s.execute("DROP TRIGGER refuse_tx_audit");
            }
        }
        reveal("alice", id).statusCode(200).body("value", equalTo(value));
        var grouped = registry.find("strongroom.audit.outbox.group.commit.events").summary();
        assertThat(grouped == null ? 0 : grouped.count()).as("no event went through the group commit").isZero();
    }
}
