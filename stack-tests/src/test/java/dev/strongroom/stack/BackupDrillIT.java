package dev.strongroom.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The restore drill of docs/operations.md on a stack of its own: populate, {@code ./strongroom backup}, stop,
 * drop every database, {@code ./strongroom restore}, and compare what users see. Also: the decrypted dumps hold
 * no plaintext value and no root key, and a flipped byte or a non-empty target makes restore refuse.
 */
class BackupDrillIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_PASSWORD = "drill operator passphrase " + UUID.randomUUID();
    private static final Duration STARTING = Duration.ofMinutes(11);
    private static LocalStack stack;

    /** What a user saw before the backup, to compare after the restore. */
    private record Before(Map<String, String> values, Map<String, Integer> versions, String shareUrl,
            Map<String, String> auditHashes, long auditChecked) {}

    @AfterAll
    static void stopStack() throws Exception {
        if (stack != null) {
            stack.close();
            stack.dropDatabases();
        }
    }

    @Test
    void aBackedUpStackComesBackWhole() throws Exception {
        stack = new LocalStack()
                .with("STRONGROOM_AUTH_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD)
                .with("STRONGROOM_AUTH_RATE_LIMIT_REGISTER_REQUESTS", "1000")
                .with("STRONGROOM_AUTH_RATE_LIMIT_LOGIN_REQUESTS", "1000")
                // a loaded CI machine can take minutes to start five JVMs (up, and again inside restore)
                .with("STRONGROOM_UP_TIMEOUT", "600");
        LocalStack.Result up = stack.run(STARTING, "up");
        assertThat(up.exitCode()).as(up.output()).isZero();

        // populate: two users, secrets with several versions, a grant, a share, and their audit events
        String alicePassword = "alice drill password " + UUID.randomUUID();
        String bobPassword = "bob drill password " + UUID.randomUUID();
        String alice = register("alice-drill", alicePassword);
        String bob = register("bob-drill", bobPassword);
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Integer> versions = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            String value = "drill-value-" + i + "-" + UUID.randomUUID();
            JsonNode created = call("POST", "secrets-service", "/v1/secrets", alice,
                    Map.of("name", "drill/db-" + i, "environment", "production", "value", value), 201);
            String id = created.path("id").asText();
            for (int v = 2; v <= i + 1; v++) {
                value = "drill-value-" + i + "-v" + v + "-" + UUID.randomUUID();
                call("PUT", "secrets-service", "/v1/secrets/" + id + "/value", alice, Map.of("value", value), 200);
            }
            values.put(id, value);
            versions.put(id, i + 1);
        }
        String shared = values.keySet().iterator().next();
        call("PUT", "secrets-service", "/v1/secrets/" + shared + "/access", alice,
                Map.of("grants", List.of(Map.of("principal", "user:bob-drill", "permissions", List.of("READ")))), 200);
        String shareUrl = call("POST", "sharing-service", "/v1/shares", alice,
                Map.of("secretId", shared, "maxViews", 3, "ttlSeconds", 86400), 201).path("url").asText();
        assertThat(call("GET", "secrets-service", "/v1/secrets/" + shared + "/value", bob, null, 200).path("value").asText())
                .isEqualTo(values.get(shared));
        String admin = login("admin", ADMIN_PASSWORD);
        Before before = new Before(values, versions, shareUrl, settledAudit(admin), 0);
        long checked = call("GET", "audit-service", "/v1/audit/integrity", admin, null, 200).path("checked").asLong();
        before = new Before(values, versions, shareUrl, before.auditHashes(), checked);
        assertThat(before.auditHashes()).hasSizeGreaterThan(10);

        // backup
        Path archive = stack.home().resolve("drill.srbk");
        Path privateKey = stack.home().resolve("offline/backup-private.json");
        LocalStack.Result key = stack.run(Duration.ofMinutes(1), "backup-key", "--private", privateKey.toString());
        assertThat(key.exitCode()).as(key.output()).isZero();
        long backupStarted = System.nanoTime();
        LocalStack.Result backup = stack.run(Duration.ofMinutes(3), "backup", "--out", archive.toString());
        long backupMillis = (System.nanoTime() - backupStarted) / 1_000_000;
        assertThat(backup.exitCode()).as(backup.output()).isZero();
        assertThat(backup.output()).contains("sealed 5 part(s)").contains("root key is NOT in it")
                .containsPattern("secrets \\([^)]+\\): [1-9][0-9]* rows in [1-9][0-9]* tables");
        assertThat(backup.output()).doesNotContain(ADMIN_PASSWORD, alicePassword);

        dumpsHoldNoPlaintext(archive, privateKey, values, List.of(ADMIN_PASSWORD, alicePassword, bobPassword));

        LocalStack.Result down = stack.down();
        assertThat(down.exitCode()).as(down.output()).isZero();

        // a flipped byte: refused before anything is loaded
        Path tampered = stack.home().resolve("tampered.srbk");
        byte[] bytes = Files.readAllBytes(archive);
        bytes[bytes.length / 2] ^= 0x08;
        Files.write(tampered, bytes);
        LocalStack.Result refused = stack.run(Duration.ofMinutes(2), "restore", tampered.toString(), "--key", privateKey.toString());
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
        assertThat(refused.output()).contains("ARCHIVE REFUSED").contains("nothing was changed");

        // the databases still exist: restore refuses to overwrite them without --force
        LocalStack.Result occupied = stack.run(Duration.ofMinutes(2), "restore", archive.toString(), "--key", privateKey.toString());
        assertThat(occupied.exitCode()).as(occupied.output()).isNotZero();
        assertThat(occupied.output()).contains("is not empty").contains("--force");

        // disaster: every database gone; then restore
        stack.dropDatabases();
        long restoreStarted = System.nanoTime();
        LocalStack.Result restore = stack.run(STARTING.plusMinutes(3), "restore", archive.toString(), "--key", privateKey.toString());
        long restoreMillis = (System.nanoTime() - restoreStarted) / 1_000_000;
        assertThat(restore.exitCode()).as(restore.output()).isZero();
        assertThat(restore.output()).containsPattern("row counts match the manifest \\([1-9][0-9]+ tables with rows\\)")
                .contains("Restore verified")
                .containsPattern("secrets +\\{\"ok\":true,\"checked\":" + values.size() + ",");

        // compare what users see
        String aliceAgain = login("alice-drill", alicePassword);
        String bobAgain = login("bob-drill", bobPassword);
        for (Map.Entry<String, String> secret : values.entrySet()) {
            assertThat(call("GET", "secrets-service", "/v1/secrets/" + secret.getKey() + "/value", aliceAgain, null, 200)
                    .path("value").asText()).isEqualTo(secret.getValue());
            assertThat(call("GET", "secrets-service", "/v1/secrets/" + secret.getKey() + "/versions", aliceAgain, null, 200)
                    .path("items").size()).as("versions of %s", secret.getKey()).isEqualTo(versions.get(secret.getKey()));
        }
        assertThat(call("GET", "secrets-service", "/v1/secrets/" + shared + "/value", bobAgain, null, 200).path("value").asText())
                .isEqualTo(values.get(shared));
        assertThat(revealShare(shareUrl)).isEqualTo(values.get(shared));
        Map<String, String> auditAfter = auditHashes();
        assertThat(auditAfter).containsAllEntriesOf(before.auditHashes());
        JsonNode integrity = call("GET", "audit-service", "/v1/audit/integrity", login("admin", ADMIN_PASSWORD), null, 200);
        assertThat(integrity.path("ok").asBoolean()).as(integrity.toString()).isTrue();
        assertThat(integrity.path("checked").asLong()).isGreaterThanOrEqualTo(before.auditChecked());

        System.out.printf("BACKUP DRILL: %d secrets, %d audit records, archive %d bytes; backup %d ms, restore (verify, load,"
                + " start, check) %d ms%n", values.size(), before.auditHashes().size(), Files.size(archive), backupMillis, restoreMillis);
        System.out.println(restore.output());
    }

    /** Opens each part of the archive with the backup key: values, passwords and the root key appear nowhere. */
    private static void dumpsHoldNoPlaintext(Path archive, Path privateKey, Map<String, String> values, List<String> passwords)
            throws Exception {
        String rootKeyMaterial = JSON.readTree(Files.readString(stack.home().resolve("secrets/root-keyset.json")))
                .path("key").get(0).path("keyData").path("value").asText();
        assertThat(rootKeyMaterial).isNotBlank();
        Path jar = stack.home().resolve("app/key-service/quarkus-run.jar");
        for (String part : List.of("auth", "secrets", "sharing", "audit", "keys")) {
            Process process = new ProcessBuilder(Path.of(System.getProperty("strongroom.java.home", System.getProperty("java.home")),
                    "bin", "java").toString(), "-jar", jar.toString(), "backup-extract", "--key", privateKey.toString(),
                    archive.toString(), part).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            ByteArrayOutputStream dump = new ByteArrayOutputStream();
            process.getInputStream().transferTo(dump);
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(process.exitValue()).isZero();
            String text = dump.toString(StandardCharsets.ISO_8859_1);
            assertThat(text).as("the %s dump", part).contains("-- Dump completed");
            for (String secret : values.values()) {
                assertThat(text).as("the %s dump", part).doesNotContain(secret)
                        .doesNotContain(HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8)));
            }
            for (String password : passwords) {
                assertThat(text).as("the %s dump", part).doesNotContain(password);
            }
            assertThat(text).as("the %s dump", part).doesNotContain(rootKeyMaterial);
            if (part.equals("auth")) {
                assertThat(text).contains("alice-drill");
            }
        }
    }

    /** The audit records (event id → chain hash) once the log stops growing. */
    private static Map<String, String> settledAudit(String adminToken) throws Exception {
        Map<String, String> last = Map.of();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            Thread.sleep(2000);
            Map<String, String> now = auditHashes();
            if (!now.isEmpty() && now.equals(last)) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private static Map<String, String> auditHashes() throws Exception {
        Map<String, String> hashes = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/" + stack.databasePrefix() + "audit", "root", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT HEX(event_id), HEX(hash) FROM audit_record")) {
            while (rs.next()) {
                hashes.put(rs.getString(1), rs.getString(2));
            }
        }
        return hashes;
    }

    private static String revealShare(String url) throws Exception {
        Matcher m = Pattern.compile("/s/([^#]+)#(.+)$").matcher(url);
        assertThat(m.find()).as(url).isTrue();
        return call("POST", "sharing-service", "/v1/shares/" + m.group(1) + "/reveal", null, Map.of("key", m.group(2)), 200)
                .path("value").asText();
    }

    private static String register(String username, String password) throws Exception {
        call("POST", "auth-service", "/v1/auth/register", null, Map.of("username", username, "password", password), 201);
        return login(username, password);
    }

    private static String login(String username, String password) throws Exception {
        return call("POST", "auth-service", "/v1/auth/login", null, Map.of("username", username, "password", password), 200)
                .path("accessToken").asText();
    }

    private static JsonNode call(String method, String service, String path, String token, Object body, int status) throws Exception {
        return StackCalls.call(stack, method, service, path, token, body, status);
    }
}
