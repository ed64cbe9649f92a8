package dev.strongroom.sharing;

import static dev.strongroom.sharing.Api.anonymous;
import static dev.strongroom.sharing.Api.as;
import static dev.strongroom.sharing.Api.plaintext;
import static dev.strongroom.sharing.Api.secret;
import static dev.strongroom.sharing.Api.share;
import static dev.strongroom.sharing.Api.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.strongroom.common.id.UuidV7;
import dev.strongroom.sharing.service.SharePurge;
import dev.strongroom.testing.AppDatabase;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Expiry and the purge job: expired shares lose their ciphertext once, however many replicas purge; metrics count it. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(SecretsServiceTestResource.class)
@WithTestResource(NotificationTestResource.class)
class SharePurgeTest {

    @Inject
    SharePurge purge;

    @Test
    void anExpiredShareIsRefusedAndItsCiphertextDeleted() throws Exception {
        var created = share("alice", secret("alice", "staging", plaintext("expiry")), Map.of());
        String id = created.getString("id");
        TestDb.expire(id);
        anonymous().body(Map.of()).post("/v1/shares/" + token(created.getString("url")) + "/open").then()
                .statusCode(410)
                .body("type", equalTo("https://strongroom.dev/problems/share-expired"));
        assertThat(TestDb.state(id)).isEqualTo("expired");
        assertThat(TestDb.ciphertext(id)).isNull();
        assertThat(AuditEvents.awaitCount("share.expired", id, 1)).hasSize(1);
        as("alice").get("/v1/shares").then().body("items.find { it.id == '" + id + "' }.state", equalTo("expired"));
    }

    @Test
    void concurrentPurgesEndEachExpiredShareExactlyOnce() throws Exception {
        String secretId = secret("alice", "staging", plaintext("purge"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(share("alice", secretId, Map.of()).getString("id"));
        }
        for (String id : ids) {
            TestDb.expire(id);
        }
        // Four "replicas" purge at once (the scheduled job runs too).
        List<CompletableFuture<SharePurge.Result>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return VertxContextSupport.subscribeAndAwait(() -> purge.run());
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
            }, Executors.newVirtualThreadPerTaskExecutor()));
        }
        int expired = 0;
        for (var run : runs) {
            expired += run.get().expired();
        }
        // The scheduled job may have taken some; the four runs never took one twice.
        assertThat(expired).isLessThanOrEqualTo(ids.size());
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (String id : ids) {
                assertThat(TestDb.state(id)).isEqualTo("expired");
                assertThat(TestDb.ciphertext(id)).isNull();
            }
        });
        for (String id : ids) {
            assertThat(AuditEvents.awaitCount("share.expired", id, 1)).as(id).hasSize(1);
        }
    }

    @Test
    void endedSharesAreDeletedAfterTheRetentionAndStaleTriesReleased() throws Exception {
        var created = share("alice", secret("alice", "staging", plaintext("retention")), Map.of("passphrase", "a passphrase"));
        String id = created.getString("id");
        byte[] key = UuidV7.toBytes(UUID.fromString(id));
        // All tries reserved (just now, so the purge running every second leaves them): the share is busy (429), not burnt...
        AppDatabase.update("UPDATE share SET pending_tries = 5, tried_at = UTC_TIMESTAMP(6) WHERE id = ?", key);
        anonymous().body(Map.of("passphrase", "a passphrase")).post("/v1/shares/" + token(created.getString("url")) + "/open").then()
                .statusCode(429)
                .header("Retry-After", "1");
        // ...and once the reservations are stale (a dead replica's), the purge gives them back.
        AppDatabase.update("UPDATE share SET tried_at = UTC_TIMESTAMP(6) - INTERVAL 10 MINUTE WHERE id = ?", key);
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> ((Number) TestDb.column("pending_tries", id)).intValue() == 0);
        anonymous().body(Map.of("passphrase", "a passphrase")).post("/v1/shares/" + token(created.getString("url")) + "/open").then()
                .statusCode(200);
        AppDatabase.update("UPDATE share SET ended_at = UTC_TIMESTAMP(6) - INTERVAL 31 DAY WHERE id = ?", key);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (var c = AppDatabase.connect(); var s = c.prepareStatement("SELECT COUNT(*) FROM share WHERE id = ?")) {
                s.setBytes(1, key);
                try (var rs = s.executeQuery()) {
                    rs.next();
                    return rs.getInt(1) == 0;
                }
            }
        });
        as("alice").get("/v1/shares?limit=500").then().body("items.id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(id)));
    }

    @Test
    void metricsCountCreatedOpenedRefusedAndActive() {
        var created = share("alice", secret("alice", "staging", plaintext("metrics")), Map.of());
        anonymous().body(Map.of()).post("/v1/shares/" + token(created.getString("url")) + "/open").then().statusCode(200);
        anonymous().body(Map.of()).post("/v1/shares/" + token(created.getString("url")) + "/open").then().statusCode(410);
        share("alice", secret("alice", "staging", plaintext("metrics2")), Map.of());
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(metrics).containsPattern("strongroom_shares_created_total [1-9]")
                    .containsPattern("strongroom_shares_opened_total\\{via=\"open\"\\} [1-9]")
                    .containsPattern("strongroom_shares_refused_total\\{reason=\"used_up\"\\} [1-9]")
                    .containsPattern("strongroom_shares_active [1-9]");
        });
    }
}
