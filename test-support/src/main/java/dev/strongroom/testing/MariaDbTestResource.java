package dev.strongroom.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives the Quarkus app under test a fresh, empty MariaDB database of its own, dropped when the
 * tests end. The server is the one at 127.0.0.1:3306 when it answers (override with
 * STRONGROOM_TEST_DB_HOST/PORT/USER/PASSWORD), else a Testcontainers MariaDB when Docker is present.
 */
public class MariaDbTestResource implements QuarkusTestResourceLifecycleManager {

    private TestDatabase database;

    @Override
    public Map<String, String> start() {
        database = TestDatabase.create("q");
        return database.quarkusConfig();
    }

    @Override
    public void stop() {
        if (database != null) {
            database.drop();
        }
    }
}
