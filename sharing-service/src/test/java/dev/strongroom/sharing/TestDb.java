package dev.strongroom.sharing;

import dev.strongroom.common.id.UuidV7;
import dev.strongroom.testing.AppDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/** The share rows behind the API, read and changed with plain JDBC (test-support's {@link AppDatabase}). */
final class TestDb {

    private TestDb() {}

    static byte[] ciphertext(String shareId) throws SQLException {
        return (byte[]) column("ciphertext", shareId);
    }

    static String state(String shareId) throws SQLException {
        return (String) column("state", shareId);
    }

    static Object column(String column, String shareId) throws SQLException {
        try (Connection c = AppDatabase.connect(); var statement = c.prepareStatement("SELECT " + column + " FROM share WHERE id = ?")) {
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
        try (Connection c = AppDatabase.connect(); var statement = c.prepareStatement(
                "UPDATE share SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE id = ?")) {
            statement.setBytes(1, UuidV7.toBytes(UUID.fromString(shareId)));
            statement.executeUpdate();
        }
    }
}
