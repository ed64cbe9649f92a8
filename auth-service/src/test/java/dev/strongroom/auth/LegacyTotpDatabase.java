package dev.strongroom.auth;

import dev.strongroom.crypto.passwords.Argon2Parameters;
import dev.strongroom.crypto.passwords.PasswordHasher;
import dev.strongroom.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * An installation of an earlier version: a fresh database migrated only to V1 (TOTP secrets as plaintext
 * base32 in VARCHAR columns) holding accounts with such secrets, before the app under test starts on it.
 * Accounts {@code legacy-0} … {@code legacy-4} have an active secret {@link #secret(int)}, {@code legacy-pending}
 * a pending one, {@code legacy-broken} a value that is not base32, {@code legacy-plain} none; all have
 * password {@link Api#PASSWORD}.
 */
public class LegacyTotpDatabase implements QuarkusTestResourceLifecycleManager {

    static final int ACTIVE_ACCOUNTS = 5;
    static final String PENDING_SECRET = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U";
    static final String BROKEN_SECRET = "not base32 at all!";

    private TestDatabase database;

    /** The plaintext base32 secret of {@code legacy-i}. */
    static String secret(int i) {
        return "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PX" + (char) ('A' + i);
    }

    static String id(String username) {
        return String.format("00000000-0000-7000-8000-%012d", Math.abs(username.hashCode()) % 1_000_000_000_000L);
    }

    @Override
    public Map<String, String> start() {
        database = TestDatabase.create("legacy");
        Flyway.configure()
                .dataSource(database.jdbcUrl(), database.quarkusConfig().get("strongroom.db.user"),
                        database.quarkusConfig().get("strongroom.db.password"))
                .locations("classpath:db/migration")
                .target("1")
                .load()
                .migrate();
        String hash = new PasswordHasher(new Argon2Parameters(256, 1, 1)).hash(Api.PASSWORD);
        try (Connection c = database.connect()) {
            for (int i = 0; i < ACTIVE_ACCOUNTS; i++) {
                insert(c, "legacy-" + i, hash, secret(i), null);
            }
            insert(c, "legacy-pending", hash, null, PENDING_SECRET);
            insert(c, "legacy-broken", hash, BROKEN_SECRET, null);
            insert(c, "legacy-plain", hash, null, null);
        } catch (Exception e) {
            throw new IllegalStateException("cannot fill the legacy database", e);
        }
        Map<String, String> config = new HashMap<>(database.quarkusConfig());
        // Several batches of the upgrade job.
        config.put("strongroom.auth.totp.upgrade-batch-size", "2");
        config.put("strongroom.auth.totp.upgrade-every", "1s");
        return config;
    }

    private static void insert(Connection c, String username, String hash, String secret, String pending) throws Exception {
        LocalDateTime now = LocalDateTime.now();
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO users (id, username, username_key, password_hash, roles, totp_secret, totp_pending_secret,
                                   totp_last_step, password_changed_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, 'user', ?, ?, 0, ?, ?, ?)""")) {
            s.setString(1, id(username));
            s.setString(2, username);
            s.setString(3, username);
            s.setString(4, hash);
            s.setString(5, secret);
            s.setString(6, pending);
            s.setObject(7, now);
            s.setObject(8, now);
            s.setObject(9, now);
            s.executeUpdate();
        }
    }

    @Override
    public void stop() {
        if (database != null) {
            database.drop();
        }
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
