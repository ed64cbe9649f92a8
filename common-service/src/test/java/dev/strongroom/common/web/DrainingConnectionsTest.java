package dev.strongroom.common.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.smallrye.health.runtime.ShutdownReadinessCheck;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import io.vertx.core.http.GoAway;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;

/**
 * Keep-alive ends with the shutdown delay: once readiness is DOWN for shutdown, every HTTP/1.1 answer carries
 * {@code Connection: close} while requests are still served; before, none does. HTTP/2 connections are not sent a
 * GOAWAY (it raced the caller's next stream) and keep being served.
 * Its own profile (its own application), because turning readiness DOWN is for good.
 */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@TestProfile(DrainingConnectionsTest.Draining.class)
class DrainingConnectionsTest {

    public static class Draining implements QuarkusTestProfile {}

    @Inject
    @Readiness
    ShutdownReadinessCheck shutdownCheck;

    @Inject
    Vertx vertx;

    @TestHTTPResource("/")
    URL root;

    @Test
    void keepAliveEndsOnceReadinessIsDownForShutdownAndNotBefore() throws Exception {
        CompletableFuture<GoAway> goAway = new CompletableFuture<>();
        HttpClient h2 = vertx.httpClientBuilder()
                .with(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false))
                .withConnectHandler(connection -> connection.goAwayHandler(goAway::complete))
                .build();
        try {
            Response before = given().get("/v1/examples/not-found");
            assertThat(before.header("Connection")).isNotEqualToIgnoringCase("close");
            given().get("/q/health/ready").then().statusCode(200);
            HttpClientResponse h2Before = get(h2, "/q/health/live");
            assertThat(h2Before.version()).isEqualTo(HttpVersion.HTTP_2);
            assertThat(h2Before.statusCode()).isEqualTo(200);

            shutdownCheck.shutdown(); // what Quarkus does on SIGTERM, before the shutdown delay
            long deadline = System.currentTimeMillis() + 5_000; // the filter looks every 100 ms
            while (!"close".equalsIgnoreCase(given().get("/q/health/live").header("Connection"))) {
                assertThat(System.currentTimeMillis()).as("Connection: close within 5 s").isLessThan(deadline);
                Thread.sleep(20);
            }

            given().get("/q/health/ready").then().statusCode(503).header("Connection", "close");
            // an API answer (REST layer) and an operational one alike: still served, with Connection: close
            Response during = given().get("/v1/examples/not-found");
            assertThat(during.statusCode()).isEqualTo(before.statusCode());
            assertThat(during.header("Connection")).isEqualToIgnoringCase("close");
            given().get("/q/health/live").then().statusCode(200).header("Connection", "close");
            // HTTP/2: the kept connection keeps serving, and is not told to go away
            assertThat(get(h2, "/q/health/live").statusCode()).isEqualTo(200);
            assertThat(get(h2, "/q/health/live").statusCode()).isEqualTo(200);
            assertThat(goAway).isNotDone();
        } finally {
            h2.close();
        }
    }

    private HttpClientResponse get(HttpClient client, String path) throws Exception {
        return client.request(HttpMethod.GET, root.getPort(), root.getHost(), path)
                .compose(request -> request.send().compose(response -> response.body().map(body -> response)))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
