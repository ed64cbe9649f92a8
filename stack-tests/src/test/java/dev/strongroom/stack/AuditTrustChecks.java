package dev.strongroom.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strongroom.testing.PrometheusText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Issue 15's exploit "a forged event on the topic accepted", against the started stack: whoever can
 * write to strongroom.audit.v1 without a producer's key cannot put an event in the log (docs/audit.md,
 * "Signed events"). Called from {@link LocalStackIT}, which owns the stack.
 */
final class AuditTrustChecks {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AuditTrustChecks() {}

    /** The audit key ./strongroom up made for {@code component} (a service, or {@code anchor}). */
    static String auditKey(LocalStack stack, String component) throws Exception {
        return Files.readAllLines(stack.home().resolve("secrets/audit-keys")).stream()
                .filter(line -> line.startsWith(component + " ")).map(line -> line.split(" ")[1]).findFirst().orElseThrow();
    }

    static void forgedEventsStayOutOfTheLog(LocalStack stack) throws Exception {
        String actor = "intruder-" + UUID.randomUUID().toString().substring(0, 8);
        String unsigned = event(actor, "unsigned");
        String forged = event(actor, "forged");
        String genuine = event(actor, "genuine");
        try (KafkaProducer<String, String> producer = producer(stack)) {
            send(producer, unsigned, null);
            send(producer, forged, hmac(randomKey(), forged));
            // the control: the same kind of record, signed with secrets-service's key, is chained
            send(producer, genuine, hmac(auditKey(stack, "secrets-service"), genuine));
        }

        String token = StackCalls.adminToken(stack);
        String audit = stack.url("audit-service");
        JsonNode items = null;
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            items = JSON.readTree(get(audit + "/v1/audit/events?limit=50&actor=" + URLEncoder.encode(actor, StandardCharsets.UTF_8), token).body())
                    .path("items");
            if (items.size() > 0) {
                break;
            }
            Thread.sleep(300);
        }
        Thread.sleep(1000); // the refused ones were published first; give a late one time to show
        items = JSON.readTree(get(audit + "/v1/audit/events?limit=50&actor=" + URLEncoder.encode(actor, StandardCharsets.UTF_8), token).body())
                .path("items");
        assertThat(items.size()).as("events in the log for " + actor + ": " + items).isEqualTo(1);
        assertThat(items.get(0).path("data").path("resource").path("id").asText()).isEqualTo("genuine");

        String metrics = get(audit + "/q/metrics", null).body();
        assertThat(counter(metrics, "unsigned")).isGreaterThanOrEqualTo(1);
        assertThat(counter(metrics, "forged")).isGreaterThanOrEqualTo(1);
        JsonNode integrity = JSON.readTree(get(audit + "/v1/audit/integrity", token).body());
        assertThat(integrity.path("ok").asBoolean()).as(integrity.toString()).isTrue();
    }

    private static String event(String actor, String resourceId) throws Exception {
        return JSON.writeValueAsString(Map.of(
                "specversion", "1.0", "id", UUID.randomUUID().toString(), "source", "strongroom/secrets-service",
                "type", "strongroom.secret.read", "time", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(),
                "subject", "secret/" + resourceId, "datacontenttype", "application/json",
                "data", Map.of("actor", Map.of("id", actor, "name", actor, "type", "user"), "action", "secret.read", "outcome", "success",
                        "resource", Map.of("type", "secret", "id", resourceId), "details", Map.of())));
    }

    private static KafkaProducer<String, String> producer(LocalStack stack) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static void send(KafkaProducer<String, String> producer, String value, byte[] signature) throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>("strongroom.audit.v1", "secret/trust", value);
        if (signature != null) {
            record.headers().add("strongroom-signature", signature);
        }
        producer.send(record).get();
    }

    private static byte[] hmac(String base64Key, String value) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(base64Key), "HmacSHA256"));
        return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        ThreadLocalRandom.current().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double counter(String metrics, String reason) {
        return PrometheusText.sum(metrics, "strongroom_audit_events_rejected_total", "reason=\"" + reason + "\"");
    }
}
