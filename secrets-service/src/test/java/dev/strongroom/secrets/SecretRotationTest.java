package dev.strongroom.secrets;

import static dev.strongroom.secrets.Api.as;
import static dev.strongroom.secrets.Api.create;
import static dev.strongroom.secrets.Api.plaintext;
import static dev.strongroom.secrets.Api.reveal;
import static dev.strongroom.secrets.Api.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.strongroom.secrets.rotation.RotationService;
import dev.strongroom.testing.AppDatabase;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.KeyServiceTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scheduled rotation (once, however many schedulers race), generators, and the custom-rotation webhook. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(value = KeyServiceTestResource.class,
        initArgs = @ResourceArg(name = "token-property", value = "strongroom.secrets.kms.token"))
class SecretRotationTest {

    @Inject
    RotationService rotation;

    @Inject
    Vertx vertx;

    private HttpServer webhook;
    private final AtomicInteger webhookStatus = new AtomicInteger(200);
    private final List<String> webhookRequests = new CopyOnWriteArrayList<>();
    private volatile String webhookValue;

    @BeforeEach
    void startWebhook() throws Exception {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/rotate", exchange -> {
            webhookRequests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = ("{\"value\":\"" + webhookValue + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(webhookStatus.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        webhook.start();
    }

    @AfterEach
    void stopWebhook() {
        webhook.stop(0);
    }

    private String webhookUrl() {
        return "http://127.0.0.1:" + webhook.getAddress().getPort() + "/rotate";
    }

    @Test
    void aDueRotationHappensOnceEvenWhenSchedulersRace() throws Exception {
        String original = plaintext("sched");
        String id = create("alice", Api.body("name", uniqueName("sched"), "environment", "production", "value", original,
                "rotation", Map.of("intervalDays", 1, "generator", Map.of("type", "bytes", "length", 24, "encoding", "hex"))));
        makeDue(id);
        // Two replicas' schedulers (plus this app's own, running every second) reach for the same due secret.
        CompletableFuture<Integer> first = onNewContext(rotation::rotateDue);
        CompletableFuture<Integer> second = onNewContext(rotation::rotateDue);
        int rotatedByUs = first.get(60, TimeUnit.SECONDS) + second.get(60, TimeUnit.SECONDS);
        assertThat(rotatedByUs).isLessThanOrEqualTo(1);
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                as("alice").get("/v1/secrets/" + id).then().body("currentVersion", equalTo(2)));
        Thread.sleep(2500);
        as("alice").get("/v1/secrets/" + id).then().body("currentVersion", equalTo(2));
        String rotated = reveal("alice", id).statusCode(200).extract().path("value");
        Api.PLAINTEXTS.add(rotated);
        assertThat(rotated).matches("[0-9a-f]{48}");
        as("alice").get("/v1/secrets/" + id + "/versions").then().body("items[0].origin", equalTo("schedule"))
                .body("items[0].createdBy", equalTo("service:secrets-service"));
        JsonNode event = AuditEvents.await("secret.rotated", id, e -> "schedule".equals(e.path("data").path("details").path("trigger").asText()));
        assertThat(event.path("data").path("actor").path("type").asText()).isEqualTo("service");
        Thread.sleep(500);
        assertThat(AuditEvents.all("secret.rotated", id)).hasSize(1);
        try (var c = AppDatabase.connect(); var s = c.prepareStatement("SELECT rotation_due_at FROM secret WHERE id = ?")) {
            s.setBytes(1, TestDb.idBytes(id));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getObject(1, LocalDateTime.class)).isAfter(LocalDateTime.now(ZoneOffset.UTC).plusHours(23));
            }
        }
    }

    @Test
    void theWebhookGeneratorSuppliesTheNewValue() {
        webhookValue = plaintext("from-webhook");
        String id = create("alice", Api.body("name", uniqueName("hook"), "environment", "staging", "value", plaintext("hook"),
                "rotation", Map.of("intervalDays", 30, "generator", Map.of("type", "webhook", "url", webhookUrl()))));
        as("alice").body(Map.of()).post("/v1/secrets/" + id + "/rotate").then().statusCode(200).body("version", equalTo(2));
        reveal("alice", id).body("value", equalTo(webhookValue));
        assertThat(webhookRequests).anySatisfy(body -> assertThat(body).isEqualTo("{\"secretId\":\"" + id + "\"}"));

        webhookStatus.set(500);
        as("alice").body(Map.of()).post("/v1/secrets/" + id + "/rotate").then()
                .statusCode(502)
                .body("type", equalTo("https://strongroom.dev/problems/generator-failed"));
        as("alice").get("/v1/secrets/" + id).then().body("currentVersion", equalTo(2));
    }

    @Test
    void aFailedScheduledRotationIsAuditedAndRetriedLater() throws Exception {
        webhookStatus.set(503);
        webhookValue = "unused";
        String id = create("alice", Api.body("name", uniqueName("hookfail"), "environment", "staging", "value", plaintext("hf"),
                "rotation", Map.of("intervalDays", 1, "generator", Map.of("type", "webhook", "url", webhookUrl()))));
        makeDue(id);
        JsonNode failed = AuditEvents.await("secret.rotated", id, e -> "failure".equals(e.path("data").path("outcome").asText()));
        assertThat(failed.path("data").path("reason").asText()).contains("503");
        try (var c = AppDatabase.connect(); var s = c.prepareStatement("SELECT rotation_failures, rotation_attempt_at FROM secret WHERE id = ?")) {
            s.setBytes(1, TestDb.idBytes(id));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(1);
                assertThat(rs.getObject(2, LocalDateTime.class)).isAfter(LocalDateTime.now(ZoneOffset.UTC).minusSeconds(5));
            }
        }
        as("alice").get("/v1/secrets/" + id).then().body("currentVersion", equalTo(1));
        webhookStatus.set(200);
        webhookValue = plaintext("recovered");
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                as("alice").get("/v1/secrets/" + id).then().body("currentVersion", equalTo(2)));
        reveal("alice", id).body("value", equalTo(webhookValue));
    }

    @Test
    void generatorsAreValidatedAndWebhooksLimitedToAllowedHosts() {
        as("alice").body(Api.body("name", uniqueName("ssrf"), "environment", "staging", "value", "x",
                        "rotation", Map.of("intervalDays", 1, "generator", Map.of("type", "webhook", "url", "http://169.254.169.254/latest"))))
                .post("/v1/secrets").then().statusCode(422).body("errors[0].field", equalTo("rotation.generator.url"));
        as("alice").body(Api.body("name", uniqueName("gen"), "environment", "staging", "value", "x",
                        "rotation", Map.of("intervalDays", 1, "generator", Map.of("type", "password", "length", 4))))
                .post("/v1/secrets").then().statusCode(422).body("errors[0].field", equalTo("rotation.generator.length"));
        as("alice").body(Api.body("name", uniqueName("gen"), "environment", "staging", "value", "x",
                        "rotation", Map.of("intervalDays", 1, "generator", Map.of("type", "magic"))))
                .post("/v1/secrets").then().statusCode(422);
        as("alice").body(Api.body("name", uniqueName("gen"), "environment", "staging", "value", "x",
                        "rotation", Map.of("intervalDays", 0)))
                .post("/v1/secrets").then().statusCode(422).body("errors[0].field", equalTo("rotation.intervalDays"));
        String id = create("alice", Api.body("name", uniqueName("uuidgen"), "environment", "staging", "value", plaintext("u"),
                "rotation", Map.of("intervalDays", 7, "generator", Map.of("type", "uuid"))));
        as("alice").body(Map.of()).post("/v1/secrets/" + id + "/rotate").then().statusCode(200);
        String value = reveal("alice", id).extract().path("value");
        Api.PLAINTEXTS.add(value);
        assertThat(value).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    private static void makeDue(String id) throws Exception {
        LocalDateTime past = LocalDateTime.now(ZoneOffset.UTC).minusMinutes(1);
        AppDatabase.update("UPDATE secret SET rotation_due_at = ?, rotation_attempt_at = ? WHERE id = ?", past, past, TestDb.idBytes(id));
    }

    /** Runs reactive work on a fresh Vert.x context, as a scheduler of another replica would. */
    private <T> CompletableFuture<T> onNewContext(Supplier<Uni<T>> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> work.get().subscribe().with(result::complete, result::completeExceptionally));
        return result;
    }
}
