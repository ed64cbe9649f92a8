package dev.strongroom.common.problem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Databases are created with the server's default collation (as the JDBC driver does in
 * production); the shared Flyway callback must still give every migrated table utf8mb4_bin.
 * The trap it guards against needs the ALTER on a different session than the CREATE (MariaDB
 * sessions cache the database's default collation); this test cannot force Flyway onto two
 * connections, so the stack test and every service's contract test (all tables utf8mb4_bin)
 * check the same rule end to end.
 */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
class MigrationDefaultsTest {

    @Test
    void tablesRelyingOnTheDatabaseDefaultAreUtf8mb4Binary() throws Exception {
        Config config = ConfigProvider.getConfig();
        String url = "jdbc:mariadb://" + config.getValue("strongroom.db.host", String.class) + ":"
                + config.getValue("strongroom.db.port", Integer.class) + "/" + config.getValue("strongroom.db.name", String.class);
        Map<String, String> collations = new HashMap<>();
        try (Connection c = DriverManager.getConnection(url, config.getValue("strongroom.db.user", String.class),
                        config.getOptionalValue("strongroom.db.password", String.class).orElse(""));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT TABLE_NAME, TABLE_COLLATION FROM information_schema.TABLES"
                        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'probe%'")) {
            while (rs.next()) {
                collations.put(rs.getString(1), rs.getString(2));
            }
        }
        assertThat(collations).containsEntry("probe_parent", "utf8mb4_bin").containsEntry("probe_child", "utf8mb4_bin");
    }
}
