package dev.strongroom.security;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.strongroom.security.revocation.SessionRevocation;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaBroker;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import dev.strongroom.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A session revoked on the Kafka topic is refused by this service within seconds; other sessions are not. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
class SessionRevocationTest {

    @Test
    void tokensOfARevokedSessionAreRefusedWithinFiveSeconds() throws Exception {
        String revokedSid = "s-" + UUID.randomUUID();
        String keptSid = "s-" + UUID.randomUUID();
        String revoked = TestTokens.builder().name("carol").sessionId(revokedSid).sign();
        String kept = TestTokens.builder().name("dave").sessionId(keptSid).sign();
        given().auth().oauth2(revoked).get("/v1/callers/me").then().statusCode(200);

        // The topic is created by the first publish, after this service started: wait until the
        // listener follows it (a probe session is refused), then time the revocation that counts.
        String probeSid = "s-" + UUID.randomUUID();
        String probe = TestTokens.builder().name("erin").sessionId(probeSid).sign();
        publish(probeSid);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                given().auth().oauth2(probe).get("/v1/callers/me").then().statusCode(401));
        given().auth().oauth2(revoked).get("/v1/callers/me").then().statusCode(200);

        publish(revokedSid);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                given().auth().oauth2(revoked).get("/v1/callers/me").then()
                        .statusCode(401)
                        .contentType("application/problem+json"));
        given().auth().oauth2(kept).get("/v1/callers/me").then().statusCode(200);
    }

    private static void publish(String sid) throws Exception {
        String bootstrap = KafkaBroker.shared().bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(SessionRevocation.TOPIC, 3, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        long now = System.currentTimeMillis();
        String value = "{\"sid\":\"" + sid + "\",\"revokedAt\":" + now + ",\"expiresAt\":" + (now + 900_000) + ",\"reason\":\"logout\"}";
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(SessionRevocation.TOPIC, sid, value)).get();
        }
    }
}
