package dev.strongroom.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A uniquely named database on a real MariaDB server. Names look like
 * {@code srt_20261123101500_ab12cd_q}: the timestamp lets a later run sweep what a killed run
 * left behind (older than a day) without touching databases of runs still going.
 */
public final class TestDatabase {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final MariaDbServer server;
    private final String name;

    private TestDatabase(MariaDbServer server, String name) {
        this.server = server;
        this.name = name;
    }

    /** Creates a fresh database; {@code purpose} is a short tag ending its name. */
    public static TestDatabase create(String purpose) {
        MariaDbServer server = MariaDbServer.get();
        String name = "srt_" + LocalDateTime.now().format(STAMP) + "_"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff)) + "_" + purpose;
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            sweepAbandoned(s);
            // The server's default character set, as in production: the services' migrations set their own.
            s.execute("CREATE DATABASE `" + name + "`");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database on " + server.describe() + ": " + e.getMessage(), e);
        }
        return new TestDatabase(server, name);
    }

    public String name() {
        return name;
    }

    public String host() {
        return server.host();
    }

    public int port() {
        return server.port();
    }

    public String jdbcUrl() {
        return "jdbc:mariadb://" + server.host() + ":" + server.port() + "/" + name;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), server.user(), server.password());
    }

    /** The strongroom.db.* knobs every service reads (see common-rest's configuration defaults). */
    public Map<String, String> quarkusConfig() {
        return Map.of(
                "strongroom.db.host", server.host(),
                "strongroom.db.port", Integer.toString(server.port()),
                "strongroom.db.user", server.user(),
                "strongroom.db.password", server.password(),
                "strongroom.db.name", name);
    }

    public void drop() {
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS `" + name + "`");
        } catch (SQLException e) {
            System.err.println("test-support: could not drop test database " + name + ": " + e.getMessage());
        }
    }

    private static void sweepAbandoned(Statement s) throws SQLException {
        String cutoff = "srt_" + LocalDateTime.now().minusDays(1).format(STAMP);
        List<String> old = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SHOW DATABASES LIKE 'srt\\_%'")) {
            while (rs.next()) {
                String db = rs.getString(1);
                if (db.length() >= cutoff.length() && db.substring(0, cutoff.length()).compareTo(cutoff) < 0) {
                    old.add(db);
                }
            }
        }
        for (String db : old) {
            s.execute("DROP DATABASE IF EXISTS `" + db + "`");
        }
    }

    /** The server the databases live on, found once per JVM. */
    record MariaDbServer(String host, int port, String user, String password, Object container) {

        private static MariaDbServer instance;

        static synchronized MariaDbServer get() {
            if (instance == null) {
                instance = find();
            }
            return instance;
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection("jdbc:mariadb://" + host + ":" + port + "/", user, password);
        }

        String describe() {
            return host + ":" + port + (container != null ? " (Testcontainers)" : "");
        }

        private static MariaDbServer find() {
            String host = env("STRONGROOM_TEST_DB_HOST", "127.0.0.1");
            int port = Integer.parseInt(env("STRONGROOM_TEST_DB_PORT", "3306"));
            if (answers(host, port)) {
                return new MariaDbServer(host, port, env("STRONGROOM_TEST_DB_USER", "root"), env("STRONGROOM_TEST_DB_PASSWORD", ""), null);
            }
            if (DockerMariaDb.dockerAvailable()) {
                return DockerMariaDb.start();
            }
            throw new IllegalStateException("""
                    No MariaDB for the tests: nothing answers at %s:%d and Docker is not available.
                    Start MariaDB 10.11+ there (root with an empty password, or set STRONGROOM_TEST_DB_HOST,
                    _PORT, _USER, _PASSWORD), e.g. `start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd`,
                    or run `./strongroom up` once, which installs and starts it on Debian.""".formatted(host, port));
        }

        private static boolean answers(String host, int port) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 1000);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        private static String env(String name, String fallback) {
            String value = System.getenv(name);
            return value == null || value.isBlank() ? fallback : value;
        }
    }

    /** Testcontainers, touched only when Docker is present (kept in its own class so it loads lazily). */
    static final class DockerMariaDb {
        static boolean dockerAvailable() {
            try {
                return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
            } catch (Throwable e) {
                return false;
            }
        }

        @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
        static MariaDbServer start() {
            var container = new org.testcontainers.containers.MariaDBContainer<>("mariadb:10.11").withUsername("root").withPassword("");
            container.start();
            return new MariaDbServer(container.getHost(), container.getMappedPort(3306), "root", "", container);
        }
    }
}
