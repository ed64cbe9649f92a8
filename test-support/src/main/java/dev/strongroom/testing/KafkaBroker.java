package dev.strongroom.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) running inside the test
 * JVM on free loopback ports, with its log in a temporary folder. One per JVM via {@link #shared()};
 * it can be stopped and started again on the same port to test outages.
 */
public final class KafkaBroker implements AutoCloseable {

    private static KafkaBroker shared;
    /** A private monitor: no outside code can hold it (find-sec-bugs USO_UNSAFE_STATIC_METHOD_SYNCHRONIZATION). */
    private static final Object LOCK = new Object();
    /** A private monitor: no outside code can hold it (find-sec-bugs USO_UNSAFE_METHOD_SYNCHRONIZATION). */
    private final Object lock = new Object();

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;

    private KafkaBroker(Path dataDir, int port, int controllerPort) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** The broker of this JVM, started on first use and stopped when the JVM exits. */
    public static KafkaBroker shared() {
        synchronized (LOCK) {
            if (shared == null) {
                shared = startNew();
                Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "kafka-test-broker-stop"));
            }
            return shared;
        }
    }

    public static KafkaBroker startNew() {
        try {
            KafkaBroker broker = new KafkaBroker(Files.createTempDirectory("strongroom-kafka-"), freePort(), freePort());
            broker.format();
            broker.start();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public boolean running() {
        synchronized (lock) {
            return server != null;
        }
    }

    /** Starts (again) on the same ports and log directory. */
    public void start() {
        synchronized (lock) {
            if (server == null) {
                KafkaRaftServer started = new KafkaRaftServer(KafkaConfig.fromProps(properties(), false), Time.SYSTEM);
                started.startup();
                server = started;
            }
        }
    }

    /** Stops the broker, keeping its data so {@link #start()} resumes it. */
    public void stop() {
        synchronized (lock) {
            if (server != null) {
                server.shutdown();
                server.awaitShutdown();
                server = null;
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            stop();
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary folder; the OS cleans what is left
            }
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("log").toString());
        p.put("num.partitions", "3");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        return p;
    }

    private void format() throws IOException {
        Path config = dataDir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(config)) {
            properties().store(out, "strongroom test broker");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            // execute(), unlike main(), does not call System.exit.
            StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()}, print);
        } catch (Exception e) {
            throw new IllegalStateException("Formatting the test broker's storage failed: " + output.toString(StandardCharsets.UTF_8), e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
