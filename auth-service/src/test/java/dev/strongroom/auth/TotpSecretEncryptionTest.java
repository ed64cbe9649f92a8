package dev.strongroom.auth;

import static dev.strongroom.auth.Api.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.strongroom.auth.service.Base32;
import dev.strongroom.auth.service.Totp;
import dev.strongroom.crypto.envelope.DataKeyCache;
import dev.strongroom.crypto.envelope.Envelope;
import dev.strongroom.crypto.envelope.EnvelopeEncryption;
import dev.strongroom.testing.ByteSearch;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.KeyServiceTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TOTP secrets at rest: only envelopes (key-service KEK {@code totp}) in the database, bound to their
 * account and column, so a moved ciphertext does not open: the login fails like a wrong code, with a
 * WARN naming the account and no secret, never a 500.
 */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KubernetesIssuer.class)
@WithTestResource(value = KeyServiceTestResource.class, initArgs = {
        @ResourceArg(name = "keks", value = "totp"),
        @ResourceArg(name = "token-property", value = "strongroom.auth.kms.token"),
        @ResourceArg(name = "token-name", value = "auth-service")})
class TotpSecretEncryptionTest {

    private static final String SECRETS_LOGGER = "dev.strongroom.auth.service.TotpSecrets";

    @Inject
    DataKeyCache cache;

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureWarnings() {
        Logger.getLogger(SECRETS_LOGGER).addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger(SECRETS_LOGGER).removeHandler(capture);
    }

    @Test
    void theDatabaseHoldsOnlyEnvelopesOfTheSecret() throws Exception {
        String name = Api.uniqueName("sealed");
        String id = Api.register(name);
        String access = Api.tokens(name)[0];
        String secret = given().auth().oauth2(access).contentType("application/json").body(Map.of("password", Api.PASSWORD)).post("/v1/auth/mfa/totp").then().statusCode(200).extract().path("secret");
        byte[] key = Base32.decode(secret);

        byte[] pending = column(id, "totp_pending_secret");
        assertThat(pending[0]).isEqualTo(Envelope.FORMAT);
        assertThat(EnvelopeEncryption.describe(pending).kekName()).isEqualTo("totp");
        assertNowhereInTheDatabase(secret, key);

        long now = Totp.step(System.currentTimeMillis() / 1000);
        given().auth().oauth2(access).contentType("application/json").body(Map.of("code", Totp.code(key, now, 6, "HmacSHA1")))
                .post("/v1/auth/mfa/totp/confirm").then().statusCode(200);
        byte[] active = column(id, "totp_secret");
        assertThat(active[0]).isEqualTo(Envelope.FORMAT);
        assertThat(EnvelopeEncryption.describe(active).kekName()).isEqualTo("totp");
        assertThat(column(id, "totp_pending_secret")).isNull();
        assertNowhereInTheDatabase(secret, key);

        // Login checks codes against the sealed secret, also when its data key must come from key-service.
        cache.clear();
        Api.login(Api.newIp(), name, PASSWORD, Totp.code(key, now + 1, 6, "HmacSHA1")).statusCode(200);
        assertThat(warnings).isEmpty();
    }

    @Test
    void aSecretMovedToAnotherAccountDoesNotOpenAndTheLoginFailsLikeAWrongCode() throws Exception {
        Enrolled alice = enrol(Api.uniqueName("alice"));
        Enrolled mallory = enrol(Api.uniqueName("mallory"));
        // Someone with write access to the database copies alice's sealed secret onto mallory's account.
        setColumn(mallory.id, "totp_secret", column(alice.id, "totp_secret"));

        long now = Totp.step(System.currentTimeMillis() / 1000);
        String ip = Api.newIp();
        // Data key still cached from alice's enrolment: the value's own associated data refuses it.
        Api.login(ip, mallory.name, PASSWORD, Totp.code(alice.key, now + 1, 6, "HmacSHA1")).statusCode(401)
                .body("type", equalTo("https://strongroom.dev/problems/invalid-credentials"));
        // Not cached: key-service refuses to unwrap the data key for mallory's account.
        cache.clear();
        Api.login(ip, mallory.name, PASSWORD, Totp.code(alice.key, now + 1, 6, "HmacSHA1")).statusCode(401)
                .body("type", equalTo("https://strongroom.dev/problems/invalid-credentials"));
        Api.login(ip, mallory.name, PASSWORD, Totp.code(mallory.key, now + 1, 6, "HmacSHA1")).statusCode(401);
        Api.awaitAudit("user.login_failed", mallory.name);

        assertThat(warnings).hasSizeGreaterThanOrEqualTo(3);
        assertThat(warnings).allSatisfy(warning -> assertThat(warning)
                .contains(mallory.id)
                .contains("totp_secret")
                .doesNotContain(alice.secret)
                .doesNotContain(mallory.secret)
                .doesNotContain(HexFormat.of().formatHex(alice.key)));
        // Recovery codes need no secret: mallory's owner can still get in.
        Api.login(ip, mallory.name, PASSWORD, mallory.recoveryCodes.getFirst()).statusCode(200);
        // Alice is untouched.
        Api.login(Api.newIp(), alice.name, PASSWORD, Totp.code(alice.key, now + 1, 6, "HmacSHA1")).statusCode(200);
    }

    @Test
    void aPendingSecretMovedToTheActiveColumnDoesNotOpen() throws Exception {
        String name = Api.uniqueName("bob");
        String id = Api.register(name);
        String access = Api.tokens(name)[0];
        String secret = given().auth().oauth2(access).contentType("application/json").body(Map.of("password", Api.PASSWORD)).post("/v1/auth/mfa/totp").then().statusCode(200).extract().path("secret");
        byte[] key = Base32.decode(secret);
        // The pending envelope, copied into the active column of the same account, is bound to the other column.
        setColumn(id, "totp_secret", column(id, "totp_pending_secret"));
        cache.clear();
        long now = Totp.step(System.currentTimeMillis() / 1000);
        Api.login(Api.newIp(), name, PASSWORD, Totp.code(key, now, 6, "HmacSHA1")).statusCode(401)
                .body("type", equalTo("https://strongroom.dev/problems/invalid-credentials"));
        assertThat(warnings).anySatisfy(warning -> assertThat(warning).contains(id).contains("totp_secret").doesNotContain(secret));
    }

    @Test
    void anAlteredOrMalformedEnvelopeIsRefusedWithoutA500() throws Exception {
        Enrolled carol = enrol(Api.uniqueName("carol"));
        byte[] sealed = column(carol.id, "totp_secret");
        sealed[sealed.length - 1] ^= 1;
        setColumn(carol.id, "totp_secret", sealed);
        long now = Totp.step(System.currentTimeMillis() / 1000);
        String ip = Api.newIp();
        Api.login(ip, carol.name, PASSWORD, Totp.code(carol.key, now + 1, 6, "HmacSHA1")).statusCode(401)
                .body("type", equalTo("https://strongroom.dev/problems/invalid-credentials"));
        setColumn(carol.id, "totp_secret", new byte[] {1, 2, 3});
        Api.login(ip, carol.name, PASSWORD, Totp.code(carol.key, now + 1, 6, "HmacSHA1")).statusCode(401)
                .body("type", equalTo("https://strongroom.dev/problems/invalid-credentials"));
        assertThat(warnings).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(warning -> assertThat(warning).contains(carol.id).doesNotContain(carol.secret));
    }

    record Enrolled(String id, String name, String secret, byte[] key, List<String> recoveryCodes) {}

    static Enrolled enrol(String name) {
        String id = Api.register(name);
        String access = Api.tokens(name)[0];
        String secret = given().auth().oauth2(access).contentType("application/json").body(Map.of("password", Api.PASSWORD)).post("/v1/auth/mfa/totp").then().statusCode(200).extract().path("secret");
        byte[] key = Base32.decode(secret);
        long now = Totp.step(System.currentTimeMillis() / 1000);
        List<String> codes = given().auth().oauth2(access).contentType("application/json")
                .body(Map.of("code", Totp.code(key, now, 6, "HmacSHA1")))
                .post("/v1/auth/mfa/totp/confirm").then().statusCode(200).extract().path("recoveryCodes");
        return new Enrolled(id, name, secret, key, codes);
    }

    static byte[] column(String userId, String column) throws Exception {
        try (Connection c = AccountFlowTest.connect();
                PreparedStatement s = c.prepareStatement("SELECT " + column + " FROM users WHERE id = ?")) {
            s.setString(1, userId);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBytes(1);
            }
        }
    }

    static void setColumn(String userId, String column, byte[] value) throws Exception {
        try (Connection c = AccountFlowTest.connect();
                PreparedStatement s = c.prepareStatement("UPDATE users SET " + column + " = ? WHERE id = ?")) {
            s.setBytes(1, value);
            s.setString(2, userId);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }

    /** Every column of every row of every table: neither the base32 secret nor its raw bytes. */
    static void assertNowhereInTheDatabase(String base32, byte[] raw) throws Exception {
        byte[] text = base32.getBytes(StandardCharsets.US_ASCII);
        byte[] lower = base32.toLowerCase().getBytes(StandardCharsets.US_ASCII);
        try (Connection c = AccountFlowTest.connect(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SHOW TABLES")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("users");
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM `" + table + "`")) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            Object cell = rs.getObject(i);
                            if (cell == null) {
                                continue;
                            }
                            byte[] value = cell instanceof byte[] bytes ? bytes : cell.toString().getBytes(StandardCharsets.UTF_8);
                            String where = table + "." + rs.getMetaData().getColumnName(i);
                            assertThat(indexOf(value, text)).as(where).isNegative();
                            assertThat(indexOf(value, lower)).as(where).isNegative();
                            assertThat(indexOf(value, raw)).as(where).isNegative();
                        }
                    }
                }
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        return ByteSearch.indexOf(haystack, needle);
    }
}
