package dev.strongroom.secrets;

import static dev.strongroom.secrets.Api.as;
import static dev.strongroom.secrets.Api.create;
import static dev.strongroom.secrets.Api.plaintext;
import static dev.strongroom.secrets.Api.reveal;
import static dev.strongroom.secrets.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;

import dev.strongroom.testing.AppDatabase;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.KeyServiceTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The health report, its gauges, and the read/write/latency/cache metrics. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(value = KeyServiceTestResource.class,
        initArgs = @ResourceArg(name = "token-property", value = "strongroom.secrets.kms.token"))
class SecretReportTest {

    @Test
    void reportsExpiringExpiredAndOverdueSecretsAndExportsGauges() throws Exception {
        String expiring = create("alice", Api.body("name", uniqueName("soon"), "environment", "production", "value", plaintext("soon"),
                "type", "certificate", "expiresAt", Instant.now().plus(Duration.ofDays(10)).toString()));
        String thisWeek = create("alice", Api.body("name", uniqueName("week"), "environment", "production", "value", plaintext("week"),
                "expiresAt", Instant.now().plus(Duration.ofDays(3)).toString()));
        String expired = create("alice", Api.body("name", uniqueName("gone"), "environment", "staging", "value", plaintext("gone"),
                "expiresAt", Instant.now().plus(Duration.ofDays(100)).toString()));
        AppDatabase.update("UPDATE secret SET expires_at = ? WHERE id = ?", LocalDateTime.now(ZoneOffset.UTC).minusDays(1), TestDb.idBytes(expired));
        String overdue = create("alice", Api.body("name", uniqueName("late"), "environment", "development", "value", plaintext("late"),
                "rotation", Map.of("intervalDays", 30)));
        // Due two hours ago, but no scheduler may take it for a day: an overdue rotation.
        AppDatabase.update("UPDATE secret SET rotation_due_at = ?, rotation_attempt_at = ? WHERE id = ?",
                LocalDateTime.now(ZoneOffset.UTC).minusHours(2), LocalDateTime.now(ZoneOffset.UTC).plusDays(1), TestDb.idBytes(overdue));

        as("root", "admin").get("/v1/secrets/report").then()
                .statusCode(200)
                .body("total", greaterThanOrEqualTo(3))
                .body("byEnvironment.production", greaterThanOrEqualTo(1))
                .body("byType.certificate", greaterThanOrEqualTo(1))
                .body("expiringWithinDays", org.hamcrest.Matchers.equalTo(30))
                .body("expiringSoon.id", hasItem(expiring))
                .body("expiringSoon.id", hasItem(thisWeek))
                .body("expired.id", hasItem(expired))
                .body("rotationOverdue.id", hasItem(overdue))
                .body("expiringSoonCount", greaterThanOrEqualTo(1))
                .body("expiredCount", greaterThanOrEqualTo(1))
                .body("rotationOverdueCount", greaterThanOrEqualTo(1));
        as("alice").get("/v1/secrets/report").then().statusCode(403);

        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String metrics = metrics();
            assertThat(gauge(metrics, "strongroom_secrets_expiring_soon")).isGreaterThanOrEqualTo(1);
            // 7-day window: the 3-day secret, never the 10-day one (which the 30-day gauge counts)
            assertThat(gauge(metrics, "strongroom_secrets_expiring_week")).isGreaterThanOrEqualTo(1)
                    .isLessThanOrEqualTo(gauge(metrics, "strongroom_secrets_expiring_soon") - 1);
            assertThat(gauge(metrics, "strongroom_secrets_expired")).isGreaterThanOrEqualTo(1);
            assertThat(gauge(metrics, "strongroom_secrets_rotation_overdue")).isGreaterThanOrEqualTo(1);
            assertThat(gauge(metrics, "strongroom_secrets_total")).isGreaterThanOrEqualTo(3);
        });
    }

    @Test
    void countsReadsAndWritesByOutcomeTimesRevealsAndBindsTheDataKeyCache() {
        String id = create("alice", uniqueName("metrics"), "testing", plaintext("metrics"));
        double hitsBefore = gauge(metrics(), "strongroom_datakey_cache_hits_total{cache=\"secrets\"}");
        reveal("alice", id).statusCode(200);
        reveal("alice", id).statusCode(200);
        reveal("mallory", id).statusCode(404);
        as("alice").body(Map.of("value", plaintext("m2"), "cas", 9)).put("/v1/secrets/" + id + "/value").then().statusCode(409);
        String metrics = metrics();
        assertThat(gauge(metrics, "strongroom_secrets_reads_total{outcome=\"success\",via=\"id\"}")).isGreaterThanOrEqualTo(2);
        assertThat(gauge(metrics, "strongroom_secrets_reads_total{outcome=\"not_found\",via=\"id\"}")).isGreaterThanOrEqualTo(1);
        assertThat(gauge(metrics, "strongroom_secrets_writes_total{operation=\"create\",outcome=\"success\"}")).isGreaterThanOrEqualTo(1);
        assertThat(gauge(metrics, "strongroom_secrets_writes_total{operation=\"write\",outcome=\"conflict\"}")).isGreaterThanOrEqualTo(1);
        assertThat(gauge(metrics, "strongroom_secrets_reveal_seconds_count")).isGreaterThanOrEqualTo(2);
        assertThat(metrics).contains("strongroom_secrets_reveal_seconds_bucket");
        // The value was sealed here, so its data key is cached: both reveals hit, key-service was not asked.
        assertThat(gauge(metrics, "strongroom_datakey_cache_hits_total{cache=\"secrets\"}")).isGreaterThanOrEqualTo(hitsBefore + 2);
        assertThat(gauge(metrics, "strongroom_datakey_cache_hit_ratio{cache=\"secrets\"}")).isGreaterThan(0);
        assertThat(metrics).doesNotContain(id);
    }

    private static String metrics() {
        return given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of the first sample whose name (with labels) starts with {@code series}. */
    private static double gauge(String metrics, String series) {
        String name = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name)) {
                continue;
            }
            String labels = series.contains("{") ? series.substring(series.indexOf('{') + 1, series.length() - 1) : "";
            boolean matches = true;
            for (String label : labels.isEmpty() ? new String[0] : labels.split(",")) {
                matches &= line.contains(label);
            }
            String rest = line.substring(name.length());
            if (matches && (rest.startsWith(" ") || rest.startsWith("{"))) {
                Matcher value = Pattern.compile(" ([-0-9.eE+]+|NaN)$").matcher(line);
                if (value.find()) {
                    return Double.parseDouble(value.group(1));
                }
            }
        }
        return -1;
    }
}
