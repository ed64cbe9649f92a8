package dev.strongroom.sharing;

import static dev.strongroom.sharing.Api.anonymous;
import static dev.strongroom.sharing.Api.plaintext;
import static dev.strongroom.sharing.Api.secret;
import static dev.strongroom.sharing.Api.share;
import static dev.strongroom.sharing.Api.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strongroom.crypto.share.ShareCipher;
import dev.strongroom.testing.AppDatabase;
import dev.strongroom.testing.AuditTopic;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import dev.strongroom.testing.TableDump;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Zero knowledge at rest: after shares are made, opened, revealed, refused and revoked (with DEBUG logging, SQL and
 * its bound parameters logged), no value, token, key or passphrase (its own and those of every test class that ran before it in this JVM) is in the sharing database (every column of every
 * table), the log output, the audit topic or the metrics.
 */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(SecretsServiceTestResource.class)
@WithTestResource(NotificationTestResource.class)
class ShareConfidentialityTest {

    @Test
    void noValueTokenKeyOrPassphraseIsStoredLoggedOrPublished() throws Exception {
        String secretId = secret("alice", "production", plaintext("zk"));
        var plain = share("alice", secretId, Map.of("maxViews", 3, "notifyEmail", "alice@strongroom.test"));
        var guarded = share("alice", secretId, Map.of("passphrase", "zk passphrase " + java.util.UUID.randomUUID()));
        var revoked = share("alice", secretId, Map.of());
        String url = plain.getString("url");
        anonymous().body(Map.of()).post("/v1/shares/" + token(url) + "/open").then().statusCode(200);
        anonymous().body(Map.of("key", Api.key(url))).post("/v1/shares/" + token(url) + "/reveal").then().statusCode(200);
        anonymous().body(Map.of("key", Api.key(revoked.getString("url")))).post("/v1/shares/" + token(url) + "/reveal").then().statusCode(422);
        anonymous().body(Map.of("passphrase", "wrong zk")).post("/v1/shares/" + token(guarded.getString("url")) + "/open").then().statusCode(403);
        Api.as("alice").delete("/v1/shares/" + revoked.getString("id")).then().statusCode(204);
        RestAssured.get("/s/" + token(url)).then().statusCode(200);
        AuditEvents.awaitCount("share.revoked", revoked.getString("id"), 1);

        Set<String> needles = new java.util.HashSet<>();
        for (String sensitive : Api.SENSITIVE) {
            needles.add(sensitive);
            needles.add(Base64.getEncoder().encodeToString(sensitive.getBytes(StandardCharsets.UTF_8)));
            byte[] key = ShareCipher.decodeKey(sensitive);
            if (key != null) {
                needles.add(Base64.getEncoder().encodeToString(key));
                needles.add(HexFormat.of().formatHex(key));
            }
        }
        assertThat(Api.SENSITIVE).hasSizeGreaterThanOrEqualTo(8);

        String database = dumpDatabase();
        String log = Files.readString(Path.of("target", "quarkus.log"), StandardCharsets.UTF_8);
        String events = String.join("\n", AuditTopic.raw());
        String metrics = RestAssured.get("/q/metrics").then().extract().asString();
        assertThat(database).contains(secretId.replace("-", ""));
        assertThat(log).contains("org.hibernate.orm.jdbc.bind");
        assertThat(events).contains("share.created");
        List<String> leaks = new ArrayList<>();
        for (String needle : needles) {
            if (database.contains(needle)) {
                leaks.add("database");
            }
            if (log.contains(needle)) {
                leaks.add("log");
            }
            if (events.contains(needle)) {
                leaks.add("audit topic");
            }
            if (metrics.contains(needle)) {
                leaks.add("metrics");
            }
        }
        assertThat(leaks).isEmpty();
    }

    /** Every column of every row of every table, as text (binary columns in base64 and hex and raw). */
    private static String dumpDatabase() throws Exception {
        try (Connection c = AppDatabase.connect()) {
            return TableDump.of(c);
        }
    }
}
