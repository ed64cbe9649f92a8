package dev.strongroom.secrets;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
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

    static byte[] idBytes(String id) {
        return dev.strongroom.common.id.UuidV7.toBytes(java.util.UUID.fromString(id));
    }
}
