package dev.strongroom.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The local stack as a user gets it: one command up, everything ready and talking, one command down. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalStack stack;
    private static LocalStack.Result up;

    @BeforeAll
    static void startStack() throws Exception {
        stack = new LocalStack();
        up = stack.up();
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (stack != null) {
            stack.close();
            dropDatabases(stack.databasePrefix());
        }
    }

    @Test
    @Order(1)
    void upStartsEverythingAndPrintsWhereItListens() {
        assertThat(up.exitCode()).as("./strongroom up output:\n" + up.output()).isZero();
        for (String service : LocalStack.SERVICES) {
            assertThat(up.output()).contains(service).contains(stack.url(service) + "/q/swagger-ui");
        }
        assertThat(up.output()).contains(stack.kafkaBootstrap());
    }

    @Test
    @Order(2)
    void everyServiceIsReadyWithItsDatabaseAndKafka() throws Exception {
        for (String service : LocalStack.SERVICES) {
            HttpResponse<String> ready = get(stack.url(service) + "/q/health/ready");
            assertThat(ready.statusCode()).as(service + " readiness: " + ready.body()).isEqualTo(200);
            JsonNode health = JSON.readTree(ready.body());
            assertThat(health.path("status").asText()).isEqualTo("UP");
            List<String> checks = new ArrayList<>();
            health.path("checks").forEach(check -> checks.add(check.path("name").asText()));
            assertThat(checks).as(service).anyMatch(name -> name.contains("MySQL")).anyMatch(name -> name.contains("Kafka"));
        }
    }

    @Test
    @Order(3)
    void eachServiceOwnsItsMigratedDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
                Statement s = c.createStatement()) {
            for (String db : List.of("auth", "secrets", "sharing", "audit", "keys")) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM `" + stack.databasePrefix() + db + "`.flyway_schema_history WHERE success = 1")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).as("migrations in " + db).isPositive();
                }
            }
        }
    }

    @Test
    @Order(4)
    void brokerCarriesMessagesBetweenClients() {
        String topic = "stack-test-" + UUID.randomUUID();
        String payload = "hello-" + UUID.randomUUID();
        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "key", payload)).get();
        } catch (Exception e) {
            throw new AssertionError("producing to the stack's broker failed", e);
        }
        Properties consumerConfig = new Properties();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "stack-test");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (received.isEmpty() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    received.add(record.value());
                }
            }
        }
        assertThat(received).containsExactly(payload);
    }

    @Test
    @Order(5)
    void errorsAreProblemJsonWithoutInternals() throws Exception {
        for (String service : LocalStack.SERVICES) {
            HttpResponse<String> missing = get(stack.url(service) + "/v1/does-not-exist");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(missing.body()).doesNotContain("Exception").doesNotContain(".java:");
        }
    }

    @Test
    @Order(6)
    void upAgainIsHarmlessAndStatusShowsAllReady() throws Exception {
        LocalStack.Result again = stack.up();
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).doesNotContain("Starting Kafka");
        LocalStack.Result status = stack.run(Duration.ofSeconds(60), "status");
        for (String service : LocalStack.SERVICES) {
            assertThat(status.output()).containsPattern(service + "\\s+\\d+\\s+ready");
        }
    }

    @Test
    @Order(7)
    void downStopsEverythingItStarted() throws Exception {
        assertThat(stack.leftoverProcesses()).hasSize(6); // five services and the broker
        LocalStack.Result down = stack.down();
        assertThat(down.exitCode()).as(down.output()).isZero();
        assertThat(stack.leftoverProcesses()).isEmpty();
        for (String service : LocalStack.SERVICES) {
            assertThat(down.output()).contains("stopped " + service);
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void dropDatabases(String prefix) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
                Statement s = c.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SHOW DATABASES LIKE '" + prefix.replace("_", "\\_") + "%'")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            for (String name : names) {
                s.execute("DROP DATABASE `" + name + "`");
            }
        }
    }
}
