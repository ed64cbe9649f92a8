package dev.strongroom.audit;

import static io.restassured.RestAssured.given;

import dev.strongroom.audit.config.AuditRetentionConfig;
import dev.strongroom.common.audit.AuditActor;
import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.audit.AuditJson;
import dev.strongroom.common.audit.EventMac;
import dev.strongroom.testing.AppDatabase;
import dev.strongroom.testing.KafkaBroker;
import dev.strongroom.testing.TestTokens;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

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

    /** Publishes a record signed with test-service's key, as its relay would. */
    static void publishRaw(String key, String value) {
        publishSigned(key, value, signature("test-service", value));
    }

    /** Publishes a record with the given signature header (null: none). */
    static void publishSigned(String key, String value, byte[] signature) {
        ProducerRecord<String, String> record = new ProducerRecord<>(TOPIC, key, value);
        if (signature != null) {
            record.headers().add(EventMac.HEADER, signature);
        }
        try {
            producer().send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the relay of {@code producer} sends with {@code value}: HMAC-SHA256 under strongroom.audit.producers.<producer>.key. */
    static byte[] signature(String producer, String value) {
        return signature(ConfigProvider.getConfig().getValue("strongroom.audit.producers." + producer + ".key", String.class), producer, value);
    }

    static byte[] signature(String base64Key, String producer, String value) {
        return new EventMac(EventMac.key(base64Key, producer)).sign(value.getBytes(StandardCharsets.UTF_8));
    }

    static List<AuditEvent> publishAll(List<AuditEvent.Builder> builders) {
        List<AuditEvent> events = builders.stream().map(b -> b.build("strongroom/test-service")).toList();
        try {
            for (AuditEvent event : events) {
                String json = AuditJson.write(event);
                ProducerRecord<String, String> record = new ProducerRecord<>(TOPIC, event.key(), json);
                record.headers().add(EventMac.HEADER, signature("test-service", json));
                producer().send(record);
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

    /** Retention settings for tests: {@code keep} null keeps everything, {@code archive} null: none; 2 months ahead, hourly. */
    static AuditRetentionConfig retention(Duration keep, Path archive) {
        return new AuditRetentionConfig() {
            @Override
            public Optional<Duration> keep() {
                return Optional.ofNullable(keep);
            }

            @Override
            public Optional<String> archiveDir() {
                return Optional.ofNullable(archive).map(Path::toString);
            }

            @Override
            public int monthsAhead() {
                return 2;
            }

            @Override
            public Duration every() {
                return Duration.ofHours(1);
            }
        };
    }

    /** Publishes {@code count} signed {@code secret.read} events of {@code actor} on {@code subject}; their event ids. */
    static List<String> publishReads(String actor, String subject, int from, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            AuditEvent event = AuditEvent.of("secret.read").actor(AuditActor.user("u", actor))
                    .resource("secret", subject).detail("attempt", (long) i).build("strongroom/test-service");
            String json = AuditJson.write(event);
            publishSigned("secret/" + subject, json, signature("test-service", json));
            ids.add(event.id());
        }
        return ids;
    }

    /** GET /v1/audit/integrity as the auditor (200). */
    static JsonPath integrity() {
        return given().header("Authorization", auditor()).get("/v1/audit/integrity").then().statusCode(200).extract().jsonPath();
    }

    /** The first column of the first row of {@code sql}. */
    static long longOf(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
