package dev.strongroom.sharing;

import static dev.strongroom.sharing.Api.anonymous;
import static dev.strongroom.sharing.Api.plaintext;
import static dev.strongroom.sharing.Api.secret;
import static dev.strongroom.sharing.Api.share;
import static dev.strongroom.sharing.Api.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import dev.strongroom.testing.PrometheusText;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Passphrases: stored as Argon2id, asked for before a view is spent, five wrong tries burn the share, counted atomically. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(SecretsServiceTestResource.class)
@WithTestResource(NotificationTestResource.class)
class SharePassphraseTest {


    @TestHTTPResource
    URI base;

    @Test
    void theRightPassphraseOpensAndIsStoredAsArgon2id() throws Exception {
        String value = plaintext("pass");
        String passphrase = "correct horse " + java.util.UUID.randomUUID();
        var created = share("alice", secret("alice", "staging", value), Map.of("passphrase", passphrase, "maxViews", 2));
        String url = created.getString("url");
        String id = created.getString("id");
        assertThat(created.getBoolean("passphrase")).isTrue();
        assertThat((String) TestDb.column("passphrase_hash", id)).startsWith("$argon2id$v=19$").doesNotContain(passphrase);

        anonymous().body(Map.of()).post("/v1/shares/" + token(url) + "/open").then()
                .statusCode(403)
                .body("type", equalTo("https://strongroom.dev/problems/passphrase-required"));
        anonymous().body(Map.of("passphrase", "wrong one")).post("/v1/shares/" + token(url) + "/open").then()
                .statusCode(403)
                .body("type", equalTo("https://strongroom.dev/problems/passphrase-wrong"))
                .body("detail", equalTo("Wrong passphrase; 4 more wrong tries destroy the share."));
        var opened = anonymous().body(Map.of("passphrase", passphrase)).post("/v1/shares/" + token(url) + "/open").then()
                .statusCode(200)
                .body("viewsLeft", equalTo(1))
                .extract().jsonPath();
        assertThat(Api.decrypt(url, opened)).isEqualTo(value);
        anonymous().body(Map.of("key", Api.key(url), "passphrase", passphrase)).post("/v1/shares/" + token(url) + "/reveal").then()
                .statusCode(200)
                .body("value", equalTo(value))
                .body("viewsLeft", equalTo(0));
        assertThat(((Number) TestDb.column("failed_tries", id)).intValue()).isEqualTo(1);
        assertThat(((Number) TestDb.column("pending_tries", id)).intValue()).isZero();
        var refused = AuditEvents.await("share.open_refused", id, e -> "wrong_passphrase".equals(e.path("data").path("reason").asText()));
        assertThat(refused.toString()).doesNotContain(passphrase).doesNotContain("wrong one");
    }

    @Test
    void fiveWrongPassphrasesBurnTheShare() throws Exception {
        String passphrase = "the right one " + java.util.UUID.randomUUID();
        var created = share("alice", secret("alice", "staging", plaintext("burn")), Map.of("passphrase", passphrase, "maxViews", 5));
        String url = created.getString("url");
        String id = created.getString("id");
        for (int i = 1; i <= 4; i++) {
            anonymous().body(Map.of("passphrase", "guess " + i)).post("/v1/shares/" + token(url) + "/open").then()
                    .statusCode(403)
                    .body("type", equalTo("https://strongroom.dev/problems/passphrase-wrong"));
        }
        anonymous().body(Map.of("passphrase", "guess 5")).post("/v1/shares/" + token(url) + "/open").then()
                .statusCode(410)
                .body("type", equalTo("https://strongroom.dev/problems/share-burnt"));
        // Burnt for good, even with the right passphrase; the ciphertext is gone.
        anonymous().body(Map.of("passphrase", passphrase)).post("/v1/shares/" + token(url) + "/open").then()
                .statusCode(410)
                .body("type", equalTo("https://strongroom.dev/problems/share-burnt"));
        assertThat(TestDb.state(id)).isEqualTo("burnt");
        assertThat(TestDb.ciphertext(id)).isNull();
        assertThat(AuditEvents.awaitCount("share.burnt", id, 1)).hasSize(1);
    }

    @Test
    void parallelGuessersGetNoExtraTries() throws Exception {
        String passphrase = "parallel " + java.util.UUID.randomUUID();
        var created = share("alice", secret("alice", "staging", plaintext("parallel")), Map.of("passphrase", passphrase, "maxViews", 5));
        String id = created.getString("id");
        URI open = base.resolve("/v1/shares/" + token(created.getString("url")) + "/open");
        double refusedBefore = PrometheusText.scrape("strongroom_shares_refused_total", "reason=\"wrong_passphrase\"");
        double burntBefore = PrometheusText.scrape("strongroom_shares_ended_total", "state=\"burnt\"");
        double deadlocksBefore = PrometheusText.scrape("strongroom_db_deadlocks_total");
        HttpClient http = HttpClient.newHttpClient();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 40; i++) {
                String guess = "guess " + i;
                answers.add(pool.submit(() -> {
                    start.await();
                    return http.send(HttpRequest.newBuilder(open).timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"passphrase\":\"" + guess + "\"}")).build(),
                            HttpResponse.BodyHandlers.ofString());
                }));
            }
            start.countDown();
        }
        List<Integer> statuses = new ArrayList<>();
        for (var answer : answers) {
            statuses.add(answer.get().statusCode());
        }
        var byStatus = statuses.stream().collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
        System.out.println("40 parallel wrong guesses: " + byStatus + ", deadlock victims (run again): "
                + (PrometheusText.scrape("strongroom_db_deadlocks_total") - deadlocksBefore));
        assertThat(byStatus).doesNotContainKeys(200, 500, 502, 503);
        // Exactly five guesses were checked (four answered 403, the fifth burnt it); the rest waited (429) or found it burnt (410).
        assertThat(((Number) TestDb.column("failed_tries", id)).intValue()).isEqualTo(5);
        assertThat(byStatus.getOrDefault(403, 0L)).isEqualTo(4);
        assertThat(TestDb.state(id)).isEqualTo("burnt");
        assertThat(AuditEvents.awaitCount("share.open_refused", id, 5)
                .stream().filter(e -> "wrong_passphrase".equals(e.path("data").path("reason").asText())).count()).isEqualTo(5);
        // the by-id UPDATEs lock the share's row only (FORCE INDEX (PRIMARY)): 68-86 deadlock victims per run before, 0 since
        assertThat(PrometheusText.scrape("strongroom_db_deadlocks_total") - deadlocksBefore).as("deadlock victims").isLessThan(10);
        // counted as audited: a deadlock's victim runs again, and the rolled-back attempt counts nothing
        assertThat(PrometheusText.scrape("strongroom_shares_refused_total", "reason=\"wrong_passphrase\"") - refusedBefore).isEqualTo(5);
        assertThat(PrometheusText.scrape("strongroom_shares_ended_total", "state=\"burnt\"") - burntBefore).isEqualTo(1);
        anonymous().body(Map.of("passphrase", passphrase)).post("/v1/shares/" + token(created.getString("url")) + "/open").then()
                .statusCode(410);
    }
}
