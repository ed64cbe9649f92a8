package dev.strongroom.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** Plain JDBC to the database of the app under test (its {@code strongroom.db.*} settings), for tests that look behind the API. */
public final class AppDatabase {

    private AppDatabase() {}

    public static Connection connect() throws SQLException {
        Config config = ConfigProvider.getConfig();
        String url = "jdbc:mariadb://" + config.getValue("strongroom.db.host", String.class) + ":"
                + config.getValue("strongroom.db.port", Integer.class) + "/" + config.getValue("strongroom.db.name", String.class);
        return DriverManager.getConnection(url, config.getValue("strongroom.db.user", String.class),
                config.getOptionalValue("strongroom.db.password", String.class).orElse(""));
    }

    /** Runs one statement with positional parameters; the count of rows it changed. */
    public static int update(String sql, Object... params) throws SQLException {
        try (Connection c = connect(); PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            return statement.executeUpdate();
        }
    }
}
