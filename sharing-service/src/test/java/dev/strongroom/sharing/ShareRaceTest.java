package dev.strongroom.sharing;

import static dev.strongroom.sharing.Api.plaintext;
import static dev.strongroom.sharing.Api.secret;
import static dev.strongroom.sharing.Api.share;
import static dev.strongroom.sharing.Api.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
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

/** Exactly once: 200 concurrent opens of a share with k views give exactly k successes, the rest 410, never a 5xx. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(SecretsServiceTestResource.class)
@WithTestResource(NotificationTestResource.class)
class ShareRaceTest {

    private static final int CONCURRENT = 200;

    @TestHTTPResource
    URI base;

    @Test
    void twoHundredConcurrentOpensOfAOneViewShareGiveExactlyOneSuccess() throws Exception {
        race(1);
    }

    @Test
    void twoHundredConcurrentOpensOfAThreeViewShareGiveExactlyThree() throws Exception {
        race(3);
    }

    private void race(int views) throws Exception {
        String value = plaintext("race" + views);
        String secretId = secret("alice", "staging", value);
        var created = share("alice", secretId, Map.of("maxViews", views));
        String url = created.getString("url");
        String id = created.getString("id");
        URI open = base.resolve("/v1/shares/" + token(url) + "/open");

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < CONCURRENT; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return http.send(HttpRequest.newBuilder(open)
                                    .timeout(Duration.ofSeconds(60))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                }));
            }
            start.countDown();
        }
        List<HttpResponse<String>> done = new ArrayList<>();
        for (Future<HttpResponse<String>> answer : answers) {
            done.add(answer.get());
        }
        Map<Integer, Long> byStatus = done.stream().collect(Collectors.groupingBy(HttpResponse::statusCode, TreeMap::new, Collectors.counting()));
        System.out.printf("Race of %d opens on a %d-view share: %s%n", CONCURRENT, views, byStatus);
        assertThat(byStatus).containsOnlyKeys(200, 410);
        assertThat(byStatus.get(200)).isEqualTo(views);
        assertThat(byStatus.get(410)).isEqualTo(CONCURRENT - views);
        List<Integer> viewsLeft = new ArrayList<>();
        for (HttpResponse<String> answer : done) {
            if (answer.statusCode() == 200) {
                var json = io.restassured.path.json.JsonPath.from(answer.body());
                assertThat(Api.decrypt(url, json)).isEqualTo(value);
                viewsLeft.add(json.getInt("viewsLeft"));
            }
        }
        List<Integer> expected = new ArrayList<>();
        for (int left = views - 1; left >= 0; left--) {
            expected.add(left);
        }
        assertThat(viewsLeft).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(TestDb.state(id)).isEqualTo("used");
        assertThat(TestDb.ciphertext(id)).isNull();
        assertThat(AuditEvents.awaitCount("share.opened", id, views)).hasSize(views);
        assertThat(AuditEvents.awaitCount("share.open_refused", id, CONCURRENT - views)).hasSize(CONCURRENT - views);
    }
}
