package dev.strongroom.auth;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strongroom.testing.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/** Helpers for the auth-service tests: each "client" comes from its own address (X-Forwarded-For), as rate limits are per address. */
final class Api {

    static final String PASSWORD = "correct horse battery staple";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Api() {}

    static String newIp() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(1, 255);
    }

    static RequestSpecification client() {
        return client(newIp());
    }

    static RequestSpecification client(String ip) {
        return given().header("X-Forwarded-For", ip).header("User-Agent", "auth-tests/1.0").contentType(ContentType.JSON);
    }

    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Registers a user and returns its id. */
    static String register(String username) {
        return client().body(Map.of("username", username, "password", PASSWORD)).post("/v1/auth/register").then()
                .statusCode(201).extract().path("id");
    }

    static ValidatableResponse login(String username, String password) {
        return client().body(Map.of("username", username, "password", password)).post("/v1/auth/login").then();
    }

    static ValidatableResponse login(String ip, String username, String password, String totp) {
        Map<String, String> body = totp == null ? Map.of("username", username, "password", password)
                : Map.of("username", username, "password", password, "totp", totp);
        return client(ip).body(body).post("/v1/auth/login").then();
    }

    /** accessToken and refreshToken of a successful login. */
    static String[] tokens(String username) {
        var response = login(username, PASSWORD).statusCode(200).extract();
        return new String[] {response.path("accessToken"), response.path("refreshToken")};
    }

    static String adminToken() {
        return login(AuthTestProfile.ADMIN, AuthTestProfile.ADMIN_PASSWORD).statusCode(200).extract().path("accessToken");
    }

    /** Reads a topic from the beginning until a record matches, for up to {@code wait}. */
    static List<JsonNode> awaitRecords(String topic, Predicate<ConsumerRecord<String, JsonNode>> match, Duration wait) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.shared().bootstrapServers());
                p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<JsonNode> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<org.apache.kafka.common.TopicPartition> partitions = new ArrayList<>();
            Awaitility.await().atMost(wait).pollInterval(Duration.ofMillis(50)).until(() -> {
                var infos = consumer.partitionsFor(topic, Duration.ofSeconds(2));
                if (infos == null || infos.isEmpty()) {
                    return false;
                }
                infos.forEach(i -> partitions.add(new org.apache.kafka.common.TopicPartition(topic, i.partition())));
                return true;
            });
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Awaitility.await().atMost(wait).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode value = r.value() == null ? null : JSON.readTree(r.value());
                    ConsumerRecord<String, JsonNode> parsed = new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(), value);
                    if (match.test(parsed)) {
                        found.add(value);
                    }
                }
                return !found.isEmpty();
            });
        }
        return found;
    }

    /** The first audit event of this type about/by this user name (actor name or resource name). */
    static JsonNode awaitAudit(String type, String name) {
        return awaitRecords("strongroom.audit.v1", r -> r.value() != null
                && ("strongroom." + type).equals(r.value().path("type").asText())
                && (name.equals(r.value().path("data").path("actor").path("name").asText())
                        || name.equals(r.value().path("data").path("resource").path("name").asText())), Duration.ofSeconds(15)).getFirst();
    }
}
