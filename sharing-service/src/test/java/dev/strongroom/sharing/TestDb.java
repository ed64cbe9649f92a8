package dev.strongroom.sharing;

import dev.strongroom.common.id.UuidV7;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** Plain JDBC to the app's own test database. */
final class TestDb {

    private TestDb() {}

    static Connection connect() throws SQLException {
        Config config = ConfigProvider.getConfig();
        String url = "jdbc:mariadb://" + config.getValue("strongroom.db.host", String.class) + ":"
                + config.getValue("strongroom.db.port", Integer.class) + "/" + config.getValue("strongroom.db.name", String.class);
        return DriverManager.getConnection(url, config.getValue("strongroom.db.user", String.class),
                config.getOptionalValue("strongroom.db.password", String.class).orElse(""));
    }

    static int update(String sql, Object... params) throws SQLException {
        try (Connection c = connect(); var statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            return statement.executeUpdate();
        }
    }

    static byte[] ciphertext(String shareId) throws SQLException {
        return (byte[]) column("ciphertext", shareId);
    }

    static String state(String shareId) throws SQLException {
        return (String) column("state", shareId);
    }

    static Object column(String column, String shareId) throws SQLException {
        try (Connection c = connect(); var statement = c.prepareStatement("SELECT " + column + " FROM share WHERE id = ?")) {
            statement.setBytes(1, UuidV7.toBytes(UUID.fromString(shareId)));
            try (var rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no share " + shareId);
                }
                return rs.getObject(1);
            }
        }
    }

    static Object columnUnchecked(String column, String shareId) {
        try {
            return column(column, shareId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Moves the share's expiry into the past. */
    static void expire(String shareId) throws SQLException {
        try (Connection c = connect(); var statement = c.prepareStatement(
                "UPDATE share SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE id = ?")) {
            statement.setBytes(1, UuidV7.toBytes(UUID.fromString(shareId)));
            statement.executeUpdate();
        }
    }
}
