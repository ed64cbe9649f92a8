package dev.strongroom.audit;

import static io.restassured.RestAssured.given;

import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.audit.AuditJson;
import dev.strongroom.testing.AppDatabase;
import dev.strongroom.testing.KafkaBroker;
import dev.strongroom.testing.TestTokens;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishing events the way the services' relays do, reading the log back, and raw database access. */
final class AuditTestSupport {

    static final String TOPIC = "strongroom.audit.v1";
    private static KafkaProducer<String, String> producer;

    private AuditTestSupport() {}

    static synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.shared().bootstrapServers());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            producer = new KafkaProducer<>(p);
        }
        return producer;
    }

    /** Builds and publishes an event as a relay would; returns it. */
    static AuditEvent publish(AuditEvent.Builder builder) {
        AuditEvent event = builder.build("strongroom/test-service");
        publishRaw(event.key(), AuditJson.write(event));
        return event;
    }

    static void publishRaw(String key, String value) {
        try {
            producer().send(new ProducerRecord<>(TOPIC, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<AuditEvent> publishAll(List<AuditEvent.Builder> builders) {
        List<AuditEvent> events = builders.stream().map(b -> b.build("strongroom/test-service")).toList();
        try {
            for (AuditEvent event : events) {
                producer().send(new ProducerRecord<>(TOPIC, event.key(), AuditJson.write(event)));
            }
            producer().flush();
        } catch (RuntimeException e) {
            throw new IllegalStateException(e);
        }
        return events;
    }

    static String auditor() {
        return TestTokens.bearer("ada-auditor", "auditor");
    }

    /** Events stored for this actor, via the API (newest first). */
    static List<java.util.Map<String, Object>> eventsOf(String actor) {
        return given().header("Authorization", auditor()).queryParam("actor", actor).queryParam("limit", 500)
                .get("/v1/audit/events").then().statusCode(200).extract().jsonPath().getList("items");
    }

    static Connection database() throws SQLException {
        return AppDatabase.connect();
    }

    static Duration patience() {
        return Duration.ofSeconds(30);
    }
}
