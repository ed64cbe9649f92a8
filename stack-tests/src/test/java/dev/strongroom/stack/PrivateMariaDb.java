package dev.strongroom.stack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A MariaDB server of one test's own: its data folder, a free port on the loopback, a socket in a temporary folder,
 * run as the current user. The machine's MariaDB on 3306 is shared with everything else, so a test that kills the
 * database kills this one instead, and starts it again on the same data folder and port.
 */
final class PrivateMariaDb implements AutoCloseable {

    private final Path dataDir;
    private final Path runDir;
    private final Path log;
    private final int port;
    private Process process;

    private PrivateMariaDb(Path dataDir, Path runDir, int port) {
        this.dataDir = dataDir;
        this.runDir = runDir;
        this.log = runDir.resolve("mariadbd.log");
        this.port = port;
    }

    /** Creates the data folder {@code dataDirectory} (mariadb-install-db: root without a password) and starts the server. */
    static PrivateMariaDb start(Path dataDirectory) throws IOException, InterruptedException {
        Path dataDir = Files.createDirectories(dataDirectory); // removed by close()
        // the socket path must stay short (about 100 characters): a folder of its own under /tmp
        Path runDir = Files.createTempDirectory("srdb-");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        PrivateMariaDb db = new PrivateMariaDb(dataDir, runDir, port);
        List<String> install = List.of("mariadb-install-db", "--no-defaults", "--datadir=" + dataDir, "--user=" + user(),
                "--auth-root-authentication-method=normal", "--skip-test-db");
        Process installing = new ProcessBuilder(install).redirectErrorStream(true)
                .redirectOutput(runDir.resolve("install.log").toFile()).start();
        if (!installing.waitFor(60, TimeUnit.SECONDS) || installing.exitValue() != 0) {
            installing.destroyForcibly();
            throw new IOException("mariadb-install-db failed:\n" + Files.readString(runDir.resolve("install.log")));
        }
        db.startServer();
        return db;
    }

    /** Starts mariadbd on the data folder and port, and waits until it accepts a login. */
    void startServer() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/sbin/mariadbd", "--no-defaults",
                "--datadir=" + dataDir, "--port=" + port, "--bind-address=127.0.0.1",
                "--socket=" + runDir.resolve("mariadb.sock"), "--pid-file=" + runDir.resolve("mariadb.pid"),
                "--log-error=" + log, "--user=" + user(), "--innodb-buffer-pool-size=64M",
                "--max-connections=300", "--skip-name-resolve"));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(runDir.resolve("mariadbd.out").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("mariadbd exited (" + process.exitValue() + "):\n" + tail());
            }
            if (answers()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IOException("mariadbd did not accept logins within 60 s:\n" + tail());
    }

    /** kill -9, and waits until the process is gone. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/" + database, "root", "");
    }

    private boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        } catch (IOException e) {
            return false;
        }
        try (Connection c = connect("")) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private String tail() throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static String user() {
        return System.getProperty("user.name");
    }

    /** Stops the server and removes its data. */
    @Override
    public void close() throws IOException, InterruptedException {
        kill();
        for (Path dir : List.of(dataDir, runDir)) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        }
    }
}
