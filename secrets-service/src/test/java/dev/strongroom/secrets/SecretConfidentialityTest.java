package dev.strongroom.secrets;

import static dev.strongroom.secrets.Api.as;
import static dev.strongroom.secrets.Api.create;
import static dev.strongroom.secrets.Api.plaintext;
import static dev.strongroom.secrets.Api.reveal;
import static dev.strongroom.secrets.Api.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.strongroom.crypto.envelope.Envelope;
import dev.strongroom.crypto.envelope.EnvelopeEncryption;
import dev.strongroom.testing.AppDatabase;
import dev.strongroom.testing.ByteSearch;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.KeyServiceTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import dev.strongroom.testing.PrometheusText;
import dev.strongroom.testing.ServiceProcess;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Values exist only as ciphertext at rest, bound to their secret, version and environment, and never
 * reach a log line or an audit event. The scans cover every plaintext any test class sent so far.
 */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(value = KeyServiceTestResource.class,
        initArgs = @ResourceArg(name = "token-property", value = "strongroom.secrets.kms.token"))
class SecretConfidentialityTest {

    @Inject
    EnvelopeEncryption envelopeEncryption;

    @Test
    void noTableOfTheDatabaseHoldsAPlaintextInAnyEncoding() throws Exception {
        writeEveryWay();
        List<String> tables = new ArrayList<>();
        try (Connection c = AppDatabase.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        assertThat(tables).contains("secret", "secret_version", "secret_grant", "secret_tag", "audit_outbox");
        List<byte[][]> needles = needles();
        long cells = 0;
        try (Connection c = AppDatabase.connect(); Statement s = c.createStatement()) {
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM `" + table + "`")) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            Object object = rs.getObject(i);
                            byte[] cell = object instanceof byte[] bytes ? bytes
                                    : object == null ? null : object.toString().getBytes(StandardCharsets.UTF_8);
                            cells++;
                            if (cell == null) {
                                continue;
                            }
                            for (byte[][] forms : needles) {
                                for (byte[] needle : forms) {
                                    assertThat(indexOf(cell, needle)).as("a plaintext in table " + table + " column " + i).isEqualTo(-1);
                                }
                            }
                        }
                    }
                }
            }
        }
        assertThat(cells).isGreaterThan(50);
    }

    @Test
    void noLogLineOrAuditEventShowsAValue() throws Exception {
        writeEveryWay();
        // This app's log (requests, SQL and its bound parameters), and key-service's.
        List<Path> logs = new ArrayList<>();
        try (var files = Files.list(Path.of("target"))) {
            files.filter(p -> p.getFileName().toString().endsWith(".log")).map(Path::toAbsolutePath).forEach(logs::add);
        }
        ServiceProcess keyService = KeyServiceTestResource.current();
        assertThat(keyService).isNotNull();
        assertThat(logs).contains(Path.of("target", "quarkus.log").toAbsolutePath(), keyService.log());
        String ours = Files.readString(Path.of("target", "quarkus.log"), StandardCharsets.UTF_8);
        assertThat(ours).as("the test log captures requests and bound SQL parameters")
                .contains("POST /v1/secrets").contains("binding parameter");
        for (Path log : logs) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            for (String value : Api.PLAINTEXTS) {
                assertThat(text).as("log " + log).doesNotContain(value);
            }
        }
        AuditEvents.await("secret.created", create("alice", uniqueName("flush"), "testing", plaintext("flush")));
        for (String event : AuditEvents.raw()) {
            for (String value : Api.PLAINTEXTS) {
                assertThat(event).doesNotContain(value);
            }
        }
    }

    @Test
    void aCiphertextMovedToAnotherSecretOrVersionDoesNotOpen() throws Exception {
        String valueA = plaintext("swap-a");
        String idA = create("alice", uniqueName("swap-a"), "production", valueA);
        String idB = create("alice", uniqueName("swap-b"), "production", plaintext("swap-b"));
        reveal("alice", idA).statusCode(200);
        AppDatabase.update("UPDATE secret_version b JOIN secret_version a ON a.secret_id = ? AND a.version = 1"
                + " SET b.ciphertext = a.ciphertext WHERE b.secret_id = ? AND b.version = 1", TestDb.idBytes(idA), TestDb.idBytes(idB));
        reveal("alice", idB).statusCode(500)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strongroom.dev/problems/value-undecryptable"))
                .body(not(containsString(valueA)));

        as("alice").body(Map.of("value", plaintext("swap-a2"))).put("/v1/secrets/" + idA + "/value").then().statusCode(200);
        AppDatabase.update("UPDATE secret_version b JOIN secret_version a ON a.secret_id = b.secret_id AND a.version = 1"
                + " SET b.ciphertext = a.ciphertext WHERE b.secret_id = ? AND b.version = 2", TestDb.idBytes(idA));
        reveal("alice", idA).statusCode(500).body(not(containsString(valueA)));
        as("alice").get("/v1/secrets/" + idA + "/value?version=1").then().statusCode(200).body("value", equalTo(valueA));
    }

    @Test
    void writesShareADataKeyThatKeyServiceWrappedOnceAndAColdReadUnwrapsIt() throws Exception {
        ServiceProcess keyService = KeyServiceTestResource.current();
        double wrapsBefore = encryptCalls(keyService);
        List<String> values = List.of(plaintext("shared-1"), plaintext("shared-2"), plaintext("shared-3"));
        List<String> ids = new ArrayList<>();
        for (String value : values) {
            ids.add(create("alice", uniqueName("shared"), "production", value));
        }

        assertThat(encryptCalls(keyService) - wrapsBefore).as("key-service wraps for 3 writes").isLessThanOrEqualTo(1);
        List<byte[]> envelopes = new ArrayList<>();
        try (Connection c = AppDatabase.connect(); java.sql.PreparedStatement select = c.prepareStatement(
                "SELECT ciphertext FROM secret_version WHERE secret_id = ? AND version = 1")) {
            for (String id : ids) {
                select.setBytes(1, TestDb.idBytes(id));
                try (ResultSet rows = select.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    envelopes.add(rows.getBytes(1));
                }
            }
        }
        assertThat(envelopes).allSatisfy(envelope -> assertThat(envelope[0]).isEqualTo(Envelope.FORMAT_SHARED_KEY));
        assertThat(Envelope.parse(envelopes.get(2)).wrappedKey()).isEqualTo(Envelope.parse(envelopes.get(0)).wrappedKey());

        // With the cache emptied, each read unwraps through key-service (with the shared key's associated data).
        envelopeEncryption.cache().clear();
        long misses = envelopeEncryption.cache().misses();
        for (int i = 0; i < ids.size(); i++) {
            reveal("alice", ids.get(i)).statusCode(200).body("value", equalTo(values.get(i)));
        }
        assertThat(envelopeEncryption.cache().misses() - misses).as("the first read unwraps, the others find the key").isEqualTo(1);
    }

    private static double encryptCalls(ServiceProcess keyService) {
        String metrics = io.restassured.RestAssured.given().baseUri(keyService.baseUrl()).get("/q/metrics").then().statusCode(200)
                .extract().asString();
        return PrometheusText.sum(metrics, "strongroom_kms_operations_total", "operation=\"encrypt\"", "outcome=\"success\"");
    }

    /** Creates, writes, rotates, rolls back and batch-reads, so every write path left its rows. */
    private static void writeEveryWay() {
        String name = uniqueName("every");
        String id = create("alice", Api.body("name", name, "environment", "staging", "value", plaintext("every1"),
                "tags", Map.of("k", "v"), "rotation", Map.of("intervalDays", 1)));
        as("alice").body(Map.of("value", plaintext("every2"), "cas", 1)).put("/v1/secrets/" + id + "/value").then().statusCode(200);
        as("alice").body(Map.of("value", plaintext("every3"))).post("/v1/secrets/" + id + "/rotate").then().statusCode(200);
        String generated = as("alice").body(Map.of()).post("/v1/secrets/" + id + "/rotate").then().statusCode(200)
                .extract().path("version").toString();
        Api.PLAINTEXTS.add(reveal("alice", id).statusCode(200).extract().path("value"));
        assertThat(generated).isEqualTo("4");
        as("alice").body(Map.of("version", 2)).post("/v1/secrets/" + id + "/rollback").then().statusCode(200);
        as("alice").body(Map.of("environment", "staging", "names", List.of(name))).post("/v1/secrets/values:batchGet").then()
                .statusCode(200);
    }

    private static List<byte[][]> needles() {
        List<byte[][]> needles = new ArrayList<>();
        for (String value : Api.PLAINTEXTS) {
            byte[] raw = value.getBytes(StandardCharsets.UTF_8);
            needles.add(new byte[][] {
                raw,
                Base64.getEncoder().encodeToString(raw).getBytes(StandardCharsets.US_ASCII),
                HexFormat.of().formatHex(raw).getBytes(StandardCharsets.US_ASCII),
                HexFormat.of().withUpperCase().formatHex(raw).getBytes(StandardCharsets.US_ASCII)
            });
        }
        return needles;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        return ByteSearch.indexOf(haystack, needle);
    }
}
