package dev.strongroom.common.problem;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Every error a client can provoke is problem+json with a useful detail and nothing internal. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
class ProblemResponsesTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    @Test
    void malformedJsonIs400WithItsPositionButNotTheInput() {
        given().contentType(ContentType.JSON).body("{\"name\": \"s3cr3t-value").post("/v1/examples").then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("https://strongroom.dev/problems/malformed-request"))
                .body("status", equalTo(400))
                .body("detail", containsString("not valid JSON"))
                .body(not(containsString("s3cr3t-value")))
                .body(not(containsString("Exception")))
                .body(not(containsString("jackson")));
    }

    @Test
    void aBodyOverTheHttpLimitIs413ProblemJsonAndTheRestStillWorks() {
        String big = "{\"name\":\"" + "x".repeat(70_000) + "\"}";
        given().contentType(ContentType.JSON).header("X-Request-Id", "big-1").body(big).post("/v1/examples").then()
                .statusCode(413)
                .contentType(PROBLEM_JSON)
                .header("X-Request-Id", "big-1")
                .body("type", equalTo("https://strongroom.dev/problems/too-large"))
                .body("status", equalTo(413))
                .body("requestId", equalTo("big-1"))
                .body("detail", containsString("65536 bytes"))
                .body(not(containsString("xxxx")));
        // Just under the limit it reaches the resource (which then validates the name).
        given().contentType(ContentType.JSON).body("{\"name\":\"" + "x".repeat(60_000) + "\"}").post("/v1/examples").then()
                .statusCode(422);
    }

    @Test
    void everyApiAnswerSuccessOrErrorIsNoStore() {
        given().contentType(ContentType.JSON).body("{\"name\": \"fine\", \"count\": 1}").post("/v1/examples").then()
                .statusCode(org.hamcrest.Matchers.lessThan(300))
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache");
        given().contentType(ContentType.JSON).body("{").post("/v1/examples").then()
                .statusCode(400)
                .header("Cache-Control", "no-store");
        given().get("/v1/examples/gone").then()
                .statusCode(410)
                .header("Cache-Control", "no-store");
    }

    @Test
    void truncatedBodyIs400() {
        given().contentType(ContentType.JSON).body("{").post("/v1/examples").then()
                .statusCode(400).contentType(PROBLEM_JSON);
    }

    @Test
    void wrongFieldTypeIs400NamingTheField() {
        given().contentType(ContentType.JSON).body("{\"name\":\"a\",\"count\":\"many\"}").post("/v1/examples").then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("detail", containsString("'count'"))
                .body(not(containsString("java.lang")));
    }

    @Test
    void invalidFieldsAre422ListingEachField() {
        given().contentType(ContentType.JSON).body("{\"name\":\"much-too-long\",\"count\":0,\"tags\":[\"ok\",\" \"]}")
                .post("/v1/examples").then()
                .statusCode(422)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("https://strongroom.dev/problems/validation-failed"))
                .body("errors", hasSize(3))
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("count", "name", "tags[1]"));
    }

    @Test
    void missingBodyIs422() {
        given().contentType(ContentType.JSON).post("/v1/examples").then()
                .statusCode(422).contentType(PROBLEM_JSON).body("errors[0].field", equalTo("body"));
    }

    @Test
    void validBodyPasses() {
        given().contentType(ContentType.JSON).body("{\"name\":\"db\",\"count\":2,\"tags\":[\"x\"]}").post("/v1/examples").then()
                .statusCode(201).body("name", equalTo("db"));
    }

    @Test
    void wrongMethodIs405() {
        given().delete("/v1/examples").then()
                .statusCode(405)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("https://strongroom.dev/problems/method-not-allowed"))
                .body("detail", equalTo("Method DELETE is not allowed on this path."));
    }

    @Test
    void wrongContentTypeIs415() {
        given().contentType(ContentType.XML).body("<a/>").post("/v1/examples").then()
                .statusCode(415)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("https://strongroom.dev/problems/unsupported-media-type"));
    }

    @Test
    void unknownPathIs404() {
        given().get("/v1/nothing/here").then()
                .statusCode(404).contentType(PROBLEM_JSON).body("status", equalTo(404));
    }

    @Test
    void unexpectedFailureIsGeneric500WithRequestIdOnly() {
        given().header("X-Request-Id", "req-123").get("/v1/examples/failure").then()
                .statusCode(500)
                .contentType(PROBLEM_JSON)
                .header("X-Request-Id", "req-123")
                .body("requestId", equalTo("req-123"))
                .body("detail", containsString("req-123"))
                .body(not(containsString("SELECT")))
                .body(not(containsString("s3cr3t")))
                .body(not(containsString("IllegalState")))
                .body(not(containsString("ProblemExamplesResource")));
    }

    @Test
    void anUnreachableDependencyIs503WithRetryAfterAndNothingInternal() {
        // found by FaultsUnderLoadIT: with MariaDB down, secrets-service answered 500 internal-error
        given().header("X-Request-Id", "req-db-down").get("/v1/examples/unreachable").then()
                .statusCode(503)
                .contentType(PROBLEM_JSON)
                .header("Retry-After", "5")
                .body("type", equalTo("https://strongroom.dev/problems/dependency-unavailable"))
                .body("requestId", equalTo("req-db-down"))
                .body(not(containsString("10.0.0.7")))
                .body(not(containsString("3306")))
                .body(not(containsString("s3cr3t")))
                .body(not(containsString("Exception")));
        // a failure that is ours stays a 500
        given().get("/v1/examples/failure").then().statusCode(500);
    }

    @Test
    void aFormFieldOverTheAttributeLimitIs413ProblemJsonNot500() throws Exception {
        // Found by the stack fuzzer: a form body too big to arrive in one read is parsed while it arrives, outside
        // the REST layer, and an over-long field there was answered 500 by Quarkus' last-resort handler.
        String body = "field=" + "x".repeat(30_000);
        String answer = rawRequest("POST /v1/examples/form HTTP/1.1", "Content-Type: application/x-www-form-urlencoded",
                body.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 1000);
        assertThat(answer).startsWith("HTTP/1.1 413 ")
                .containsIgnoringCase("content-type: " + PROBLEM_JSON)
                .contains("\"type\":\"https://strongroom.dev/problems/too-large\"")
                .contains("\"status\":413")
                .doesNotContain("xxxx");
        given().contentType(ContentType.URLENC).formParam("field", "x".repeat(3000)).post("/v1/examples/form").then()
                .statusCode(413).contentType(PROBLEM_JSON).body("type", equalTo("https://strongroom.dev/problems/too-large"));
        given().contentType(ContentType.URLENC).formParam("field", "x".repeat(2000)).post("/v1/examples/form").then()
                .statusCode(200).body("length", equalTo(2000));
    }

    @Test
    void aBodyInACharsetNobodyKnowsIs415ProblemJsonNot500() throws Exception {
        // Found by the stack fuzzer: the form parser looked the charset up while decoding %FF and failed outside
        // the REST layer (500, or no answer at all when it failed on the body's last piece).
        byte[] body = "field=x%FF%FE".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        for (String charset : new String[] {"x-unknown", "klingon", "\"", "\"\"", "a b"}) {
            String answer = rawRequest("POST /v1/examples/form HTTP/1.1",
                    "Content-Type: application/x-www-form-urlencoded; charset=" + charset, body, 4);
            assertThat(answer).as(charset).startsWith("HTTP/1.1 415 ")
                    .containsIgnoringCase("content-type: " + PROBLEM_JSON)
                    .contains("\"type\":\"https://strongroom.dev/problems/unsupported-media-type\"");
        }
        String known = rawRequest("POST /v1/examples/form HTTP/1.1",
                "Content-Type: application/x-www-form-urlencoded; Charset=\"ISO-8859-1\"", body, 4);
        assertThat(known).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void aRequestTargetNoRouteCanMatchIs404ProblemJson() throws Exception {
        // the router answers these itself (no route matches a target without its leading slash); HTTP clients
        // refuse to send them, so the request is written to a socket as is
        for (String path : new String[] {"*", "v1/examples/gone"}) {
            assertThat(rawRequest("GET " + path + " HTTP/1.1", "X-Request-Id: bad-escape", null, 0)).as(path)
                    .startsWith("HTTP/1.1 404 ")
                    .containsIgnoringCase("content-type: " + PROBLEM_JSON)
                    .containsIgnoringCase("x-request-id: bad-escape")
                    .contains("\"type\":\"https://strongroom.dev/problems/not-found\"")
                    .contains("\"status\":404")
                    .contains("\"requestId\":\"bad-escape\"");
        }
    }

    /**
     * One request written to a socket as is (HTTP clients refuse odd targets); with {@code firstPiece} > 0 the body
     * is sent in two pieces with a pause between, as a slow client sends it. Returns the whole answer.
     */
    private static String rawRequest(String requestLine, String header, byte[] body, int firstPiece) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(15_000); // a request the server never answers fails the test instead of hanging it
            java.io.OutputStream out = socket.getOutputStream();
            out.write((requestLine + "\r\nHost: 127.0.0.1\r\n" + header + "\r\nConnection: close\r\n"
                    + (body == null ? "" : "Content-Length: " + body.length + "\r\n") + "\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body, 0, firstPiece);
                out.flush();
                Thread.sleep(300);
                try {
                    out.write(body, firstPiece, body.length - firstPiece);
                } catch (java.io.IOException answeredEarly) {
                    // the server may refuse and close before the rest arrives; its answer is read below
                }
            }
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void aBodyInNoJsonEncodingIs400Not500() {
        // a UTF-16 byte-order mark followed by two zero bytes reads as an unsupported UTF-32 order
        given().contentType("application/json; charset=utf-16").body(new byte[] {(byte) 0xFE, (byte) 0xFF, 0, 0})
                .post("/v1/examples").then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("https://strongroom.dev/problems/malformed-request"))
                .body(not(containsString("UCS")));
    }

    @Test
    void anUnexpectedFailureLogsTheRouteTemplateNotThePathItsCredentialIsIn() {
        java.util.List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                StringBuilder line = new StringBuilder(record instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
                for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                    line.append(" | ").append(t);
                }
                logged.add(line.toString());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(ProblemMappers.class.getName());
        logger.addHandler(capture);
        try {
            given().header("X-Request-Id", "template-1").get("/v1/examples/failure/sh4re-t0ken-s3cret").then().statusCode(500);
        } finally {
            logger.removeHandler(capture);
        }
        assertThat(logged).anySatisfy(line -> assertThat(line)
                .contains("GET /v1/examples/failure/{token}")
                .contains("template-1")
                .contains("java.lang.IllegalStateException").contains("java.lang.IllegalArgumentException"));
        assertThat(logged).noneMatch(line -> line.contains("sh4re-t0ken-s3cret"));
    }

    @Test
    void domainProblemsKeepTheirStatusTypeAndHeaders() {
        given().get("/v1/examples/gone").then()
                .statusCode(410)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("https://strongroom.dev/problems/share-expired"))
                .body("detail", equalTo("This share link has expired."));
        given().get("/v1/examples/limited").then()
                .statusCode(429)
                .header("Retry-After", "30")
                .body("type", equalTo("https://strongroom.dev/problems/rate-limited"));
    }

    @Test
    void everyAnswerCarriesARequestId() {
        given().header("X-Request-Id", "bad id with spaces").get("/v1/examples/gone").then()
                .header("X-Request-Id", notNullValue())
                .header("X-Request-Id", not(containsString(" ")));
    }

    @Test
    void aDependencyAwayOutsideTheRestLayerIs503DependencyUnavailableAndABugStays500() {
        given().header("X-Request-Id", "route-503").get("/v1/route-examples/unreachable").then()
                .statusCode(503)
                .contentType(PROBLEM_JSON)
                .header("Retry-After", "5")
                .body("type", equalTo("https://strongroom.dev/problems/dependency-unavailable"))
                .body("requestId", equalTo("route-503"))
                .body(not(containsString("s3cr3t")));
        given().get("/v1/route-examples/failure").then()
                .statusCode(500)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("https://strongroom.dev/problems/internal-error"))
                .body(not(containsString("s3cr3t")));
    }

    @Test
    void aStatementOnAConnectionTheDatabaseClosedIs503DependencyUnavailableNot500() {
        // found by FaultsUnderLoadIT on CI: MariaDB killed between two statements of a share's transaction gave a 500
        given().get("/v1/examples/statement-after-close").then()
                .statusCode(503)
                .contentType(PROBLEM_JSON)
                .header("Retry-After", "5")
                .body("type", equalTo("https://strongroom.dev/problems/dependency-unavailable"));
    }

    /**
     * The database host dies with a query in flight: its kernel answers the open connection with a reset (RST), not a
     * goodbye. The client library reports a closed connection, which is the database being away, not a bug.
     */
    @Test
    void aDatabaseConnectionResetMidQueryIs503DependencyUnavailableNot500() throws Exception {
        try (ResettingProxy proxy = new ResettingProxy()) {
            long marker = Math.abs(System.nanoTime()); // a column alias: digits only
            java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>> answer = java.net.http.HttpClient.newHttpClient()
                    .sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create(io.restassured.RestAssured.baseURI + ":"
                            + io.restassured.RestAssured.port + "/v1/examples/slow-query/" + proxy.port() + "/" + marker)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            try (java.sql.Connection c = dev.strongroom.testing.AppDatabase.connect(); java.sql.Statement statement = c.createStatement()) {
                boolean running = false;
                for (int tries = 0; tries < 200 && !running; tries++) {
                    try (java.sql.ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM information_schema.processlist"
                            + " WHERE info LIKE 'SELECT SLEEP(30) AS marker_" + marker + "%'")) {
                        running = rs.next() && rs.getInt(1) == 1;
                    }
                    if (!running) {
                        Thread.sleep(50);
                    }
                }
                assertThat(running).as("the slow query runs").isTrue();
            }
            proxy.reset();
            java.net.http.HttpResponse<String> response = answer.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith(PROBLEM_JSON));
            assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(response.body()).contains("https://strongroom.dev/problems/dependency-unavailable");
        }
    }

    /** A TCP proxy to the test database whose {@link #reset()} aborts every connection with a reset, as a dead host's kernel does. */
    private static final class ResettingProxy implements AutoCloseable {
        private final java.net.ServerSocket server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        private final java.util.List<java.net.Socket> clients = new java.util.concurrent.CopyOnWriteArrayList<>();

        ResettingProxy() throws java.io.IOException {
            org.eclipse.microprofile.config.Config config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
            String host = config.getValue("strongroom.db.host", String.class);
            int port = config.getValue("strongroom.db.port", Integer.class);
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        java.net.Socket client = server.accept();
                        java.net.Socket upstream = new java.net.Socket(host, port);
                        clients.add(client);
                        Thread.ofVirtual().start(() -> pump(client, upstream));
                        Thread.ofVirtual().start(() -> pump(upstream, client));
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        void reset() throws java.io.IOException {
            for (java.net.Socket client : clients) {
                if (!client.isClosed()) {
                    client.setSoLinger(true, 0); // close with RST
                    client.close();
                }
            }
        }

        private static void pump(java.net.Socket from, java.net.Socket to) {
            try (from; to) {
                from.getInputStream().transferTo(to.getOutputStream());
            } catch (java.io.IOException e) {
                // one side went away; closing both ends the other pump
            }
        }

        @Override
        public void close() throws java.io.IOException {
            server.close();
            reset();
        }
    }
}
