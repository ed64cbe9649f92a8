package dev.strongroom.stack;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A whole Strongroom started with {@code ./strongroom up} exactly as a user would, but on free
 * ports, in its own state folder and with its own databases, so it runs beside a developer's stack.
 */
final class LocalStack implements AutoCloseable {

    static final List<String> SERVICES = List.of("auth-service", "secrets-service", "sharing-service", "audit-service", "key-service");

    private final Path root = Path.of(System.getProperty("strongroom.root", "..")).toAbsolutePath().normalize();
    private final Path home;
    private final String databasePrefix;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final int kafkaPort;
    private final int kafkaControllerPort;
    private final Map<String, String> extraEnvironment = new HashMap<>();

    LocalStack() throws IOException {
        home = Files.createTempDirectory(root.resolve("stack-tests/target"), "stack-");
        databasePrefix = "srt_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss")) + "_"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff)) + "_stack_";
        for (String service : SERVICES) {
            ports.put(service, freePort());
        }
        kafkaPort = freePort();
        kafkaControllerPort = freePort();
    }

    /** Adds variables to the environment of every later ./strongroom command (STRONGROOM_* reach the services). */
    LocalStack with(String variable, String value) {
        extraEnvironment.put(variable, value);
        return this;
    }

    /** The pid `up` recorded for a component (a service, kafka). */
    long pid(String component) throws IOException {
        return Long.parseLong(Files.readString(home.resolve("run/" + component + ".pid")).trim());
    }

    /** The bootstrap admin: {name, password} from STRONGROOM_AUTH_BOOTSTRAP_ADMIN_* when given, else those `up` generated. */
    String[] admin() throws IOException {
        String[] generated = Files.readString(home.resolve("secrets/bootstrap-admin")).trim().split(" ", 2);
        return new String[] {
            extraEnvironment.getOrDefault("STRONGROOM_AUTH_BOOTSTRAP_ADMIN_USERNAME", generated[0]),
            extraEnvironment.getOrDefault("STRONGROOM_AUTH_BOOTSTRAP_ADMIN_PASSWORD", generated[1])};
    }

    Result up() throws Exception {
        return run(Duration.ofMinutes(5), "up");
    }

    Result down() throws Exception {
        return run(Duration.ofMinutes(2), "down");
    }

    Result run(Duration timeout, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("strongroom").toString());
        command.addAll(List.of(args));
        Path output = Files.createTempFile(home, "out-", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment());
        Process process = builder.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("./strongroom " + String.join(" ", args) + " did not finish in " + timeout
                    + "; output:\n" + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("STRONGROOM_HOME", home.toString());
        env.put("STRONGROOM_DB_PREFIX", databasePrefix);
        env.put("STRONGROOM_KAFKA_PORT", Integer.toString(kafkaPort));
        env.put("STRONGROOM_KAFKA_CONTROLLER_PORT", Integer.toString(kafkaControllerPort));
        env.put("STRONGROOM_AUTH_PORT", ports.get("auth-service").toString());
        env.put("STRONGROOM_SECRETS_PORT", ports.get("secrets-service").toString());
        env.put("STRONGROOM_SHARING_PORT", ports.get("sharing-service").toString());
        env.put("STRONGROOM_AUDIT_PORT", ports.get("audit-service").toString());
        env.put("STRONGROOM_KEYS_PORT", ports.get("key-service").toString());
        env.put("STRONGROOM_JAVA_HOME", System.getProperty("strongroom.java.home", System.getProperty("java.home")));
        // The reactor has just packaged the services: a missing jar is a failure, not a reason to build.
        env.put("STRONGROOM_BUILD", "never");
        // Five JVMs starting at once on two shared cores took up to 192 s under other builds' load:
        // the test waits longer than the interactive default (180 s) rather than fail on a busy machine.
        env.put("STRONGROOM_UP_TIMEOUT", System.getProperty("strongroom.up.timeout", "420"));
        env.putAll(extraEnvironment);
        return env;
    }

    String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    String databasePrefix() {
        return databasePrefix;
    }

    Path home() {
        return home;
    }

    Path root() {
        return root;
    }

    /** Processes still running that this stack started (they carry -Dstrongroom.stack=<home>). */
    List<Long> leftoverProcesses() throws IOException {
        String marker = "-Dstrongroom.stack=" + home;
        List<Long> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    if (cmdline.contains(marker)) {
                        found.add(Long.parseLong(proc.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // the process ended while we looked
                }
            }
        }
        return found;
    }

    @Override
    public void close() throws Exception {
        if (!leftoverProcesses().isEmpty()) {
            down();
        }
        // the services' copied builds (about 90 MB each); logs and keys stay for a look after a failure
        Path app = home.resolve("app");
        if (Files.isDirectory(app)) {
            try (Stream<Path> files = Files.walk(app)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    /** Drops this stack's databases (every {@code <prefix>*}), as after a disaster or when the test is done. */
    void dropDatabases() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
                Statement s = c.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SHOW DATABASES LIKE '" + databasePrefix.replace("_", "\\_") + "%'")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            for (String name : names) {
                s.execute("DROP DATABASE `" + name + "`");
            }
        }
    }

    record Result(int exitCode, String output) {}

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
