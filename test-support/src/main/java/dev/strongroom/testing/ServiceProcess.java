package dev.strongroom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged sibling service ({@code <module>/target/quarkus-app/quarkus-run.jar}, built earlier in the
 * reactor) running as a child process of the test JVM on a free loopback port, so a service's tests talk
 * to the real thing over HTTP. Its output goes to {@code target/<module>-<port>.log}. Stopped by
 * {@link #close()} or, at the latest, when the test JVM exits.
 */
public final class ServiceProcess implements AutoCloseable {

    private final String module;
    private final int port;
    private final Process process;
    private final Path log;

    private ServiceProcess(String module, int port, Process process, Path log) {
        this.module = module;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code module}'s packaged jar with these system properties (plus its HTTP port) and waits
     * until {@code /q/health/ready} answers 200.
     */
    public static ServiceProcess start(String module, Map<String, String> properties, Duration readyTimeout) {
        return start(module, properties, TEST_JVM_OPTIONS, readyTimeout);
    }

    private static final String SIGNING_KEY = "strongroom.audit.signing.key";

    private static String throwawayKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    /** JVM options for tests: small heap, C1 only (fast start-up). Benchmarks pass their own. */
    public static final List<String> TEST_JVM_OPTIONS = List.of("-Xms32m", "-Xmx256m", "-XX:TieredStopAtLevel=1");

    /** The same with these JVM options (heap, JIT, GC) instead of {@link #TEST_JVM_OPTIONS}. */
    public static ServiceProcess start(String module, Map<String, String> properties, List<String> jvmOptions, Duration readyTimeout) {
        Path jar = jarOf(module);
        try {
            int port = KafkaBroker.freePort();
            Path log = Path.of("target", module + "-" + port + ".log").toAbsolutePath();
            Files.createDirectories(log.getParent());
            List<String> command = new ArrayList<>();
            command.add(javaBinary());
            command.addAll(jvmOptions);
            command.add("-Dquarkus.http.port=" + port);
            command.add("-Dquarkus.http.host=127.0.0.1");
            // a packaged jar runs in the prod profile, which refuses the test server's root account without this
            command.add("-Dstrongroom.db.allow-insecure-credentials=true");
            if (!properties.containsKey("quarkus.shutdown.delay")) {
                // no load balancer to drain: stop at once rather than after the production shutdown delay (5 s)
                command.add("-Dquarkus.shutdown.delay=0s");
            }
            properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
            if (!properties.containsKey(SIGNING_KEY)) {
                // production mode refuses to start without a key to sign audit events with; no audit-service checks these
                command.add("-D" + SIGNING_KEY + "=" + throwawayKey());
            }
            command.add("-jar");
            command.add(jar.toString());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            ServiceProcess service = new ServiceProcess(module, port, process, log);
            Runtime.getRuntime().addShutdownHook(new Thread(service::close, module + "-stop"));
            service.awaitReady(readyTimeout);
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the module's jar once with arguments (a command-mode tool) and returns its exit code. */
    public static int run(String module, List<String> arguments, Duration timeout) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", jarOf(module).toString()));
        command.addAll(arguments);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(module + " " + arguments + " did not finish in " + timeout);
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** The operating-system process id (for CPU accounting in benchmarks). */
    public long pid() {
        return process.pid();
    }

    public boolean running() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(module + " exited with " + process.exitValue() + " before it was ready:\n" + tail());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sleep(200);
        }
        close();
        throw new IllegalStateException(module + " was not ready within " + timeout + ":\n" + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    /**
     * The module's packaged jar: {@code -Dstrongroom.test.<module>.jar=...}, else
     * {@code <module>/target/quarkus-app/quarkus-run.jar} in the first ancestor of the working directory holding it.
     */
    static Path jarOf(String module) {
        String override = System.getProperty("strongroom.test." + module + ".jar");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path jar = dir.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
            if (Files.isRegularFile(jar)) {
                return jar;
            }
        }
        throw new IllegalStateException(module + " is not packaged: build it first (./mvnw -B install -pl " + module
                + " -DskipTests), or point -Dstrongroom.test." + module + ".jar at its quarkus-run.jar");
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
