package dev.strongroom.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.strongroom.testing.HecReceiver;
import dev.strongroom.testing.LocalIssuer;
import dev.strongroom.testing.TableDump;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The local stack as a user gets it: one command up, everything ready and talking, one command down. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalStack stack;
    private static LocalStack.Result up;

    private static final HecReceiver SPLUNK = HecReceiver.shared();
    /** sharing-service's notifications: a real SMTP server and a webhook receiver. */
    private static final GreenMail SMTP = new GreenMail(new ServerSetup(LocalIssuer.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    private static final List<String> WEBHOOK = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static com.sun.net.httpserver.HttpServer webhook;
    /** The admin password a user chose: up must make it the admin's, not the one it generates. */
    private static final String ADMIN_PASSWORD = "chosen operator passphrase " + UUID.randomUUID();

    @BeforeAll
    static void startStack() throws Exception {
        SMTP.start();
        webhook = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            WEBHOOK.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhook.start();
        stack = CliChecks.withClusterIssuer(new LocalStack())
                // sharing-service notifies by email and webhook (docs/sharing.md)
                .with("STRONGROOM_SHARING_NOTIFICATIONS_EMAIL_ENABLED", "true")
                .with("STRONGROOM_SHARING_NOTIFICATIONS_ADMIN_EMAILS", "secops@strongroom.test")
                .with("STRONGROOM_SHARING_NOTIFICATIONS_WEBHOOK_URL", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook")
                .with("QUARKUS_MAILER_HOST", "127.0.0.1")
                .with("QUARKUS_MAILER_PORT", Integer.toString(SMTP.getSmtp().getPort()))
                .with("QUARKUS_MAILER_START_TLS", "DISABLED")
                // audit-service forwards to a Splunk HEC double that follows HEC's documented protocol
                .with("STRONGROOM_AUDIT_HEC_URL", SPLUNK.url())
                .with("STRONGROOM_AUTH_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD)
                .with("STRONGROOM_AUDIT_HEC_TOKEN", SPLUNK.token())
                // every check here registers and logs in its own people from one address: the per-address
                // limits (5 registrations and 20 logins a minute) are for the internet, not for this test
                .with("STRONGROOM_AUTH_RATE_LIMIT_REGISTER_REQUESTS", "1000")
                .with("STRONGROOM_AUTH_RATE_LIMIT_LOGIN_REQUESTS", "1000")
                // short backoffs keep the outage test short; the defaults are 30 s and 60 s
                .with("STRONGROOM_AUDIT_RELAY_BACKOFF_MAX", "2s")
                .with("STRONGROOM_AUDIT_HEC_BACKOFF_MAX", "2s");
        up = stack.up();
    }

    @AfterAll
    static void stopStack() throws Exception {
        CliChecks.closeClusterIssuer();
        if (stack != null) {
            stack.close();
            stack.dropDatabases();
        }
        SMTP.stop();
        if (webhook != null) {
            webhook.stop(0);
        }
    }

    @Test
    @Order(1)
    void upStartsEverythingAndPrintsWhereItListens() {
        assertThat(up.exitCode()).as("./strongroom up output:\n" + up.output()).isZero();
        for (String service : LocalStack.SERVICES) {
            assertThat(up.output()).contains(service).contains(stack.url(service) + "/q/swagger-ui");
        }
        assertThat(up.output()).contains(stack.kafkaBootstrap());
    }

    @Test
    @Order(2)
    void theAdminPasswordFromTheEnvironmentIsTheOneThatWorks() throws Exception {
        assertThat(up.output()).contains("password from STRONGROOM_AUTH_BOOTSTRAP_ADMIN_PASSWORD");
        String generated = Files.readString(stack.home().resolve("secrets/bootstrap-admin")).trim().split(" ", 2)[1];
        String auth = stack.url("auth-service") + "/v1/auth/login";
        assertThat(post(auth, null, JSON.writeValueAsString(Map.of("username", "admin", "password", ADMIN_PASSWORD))).statusCode())
                .isEqualTo(200);
        assertThat(post(auth, null, JSON.writeValueAsString(Map.of("username", "admin", "password", generated))).statusCode())
                .isEqualTo(401);
        assertThat(Files.readString(stack.home().resolve("secrets/auth-service.properties"))).doesNotContain("bootstrap-admin.password");
    }

    @Test
    @Order(1)
    void servicesRunFromACopyOfTheirBuildSoARebuildCannotPullJarsFromUnderThem() throws Exception {
        for (String service : LocalStack.SERVICES) {
            long pid = Long.parseLong(Files.readString(stack.home().resolve("run/" + service + ".pid")).trim());
            List<String> command = List.of(new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")),
                    StandardCharsets.UTF_8).split("\0"));
            // the command line is world-readable (ps): the database password travels in the environment instead
            assertThat(command).as(service).noneMatch(argument -> argument.contains("db.password"));
            Path jar = Path.of(command.get(command.indexOf("-jar") + 1));
            Path built = stack.root().resolve(service + "/target/quarkus-app/quarkus-run.jar");
            // the copy app/<service> links to, named by its own path: a later up that installs a newer build and
            // moves the link leaves this JVM's files where they are (Quarkus reopens its jars by path)
            assertThat(jar.getParent().getParent()).as(service).isEqualTo(stack.home().resolve("app/builds"));
            assertThat(jar.getParent().getFileName().toString()).as(service).startsWith(service + "-");
            assertThat(Files.isSameFile(jar, stack.home().resolve("app/" + service + "/quarkus-run.jar"))).as(service).isTrue();
            // a copy, not a link to target/: a build that rewrites target/ in place leaves it alone
            assertThat(Files.isSameFile(jar, built)).as(service).isFalse();
            assertThat(Files.readAllBytes(jar)).as(service).isEqualTo(Files.readAllBytes(built));
        }
    }

    @Test
    @Order(2)
    void everyServiceIsReadyWithItsDatabaseAndKafka() throws Exception {
        for (String service : LocalStack.SERVICES) {
            HttpResponse<String> ready = get(stack.url(service) + "/q/health/ready");
            assertThat(ready.statusCode()).as(service + " readiness: " + ready.body()).isEqualTo(200);
            JsonNode health = JSON.readTree(ready.body());
            assertThat(health.path("status").asText()).isEqualTo("UP");
            List<String> checks = new ArrayList<>();
            health.path("checks").forEach(check -> checks.add(check.path("name").asText()));
            assertThat(checks).as(service).anyMatch(name -> name.contains("MySQL")).anyMatch(name -> name.contains("Kafka"));
        }
    }

    @Test
    @Order(3)
    void eachServiceOwnsItsMigratedDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
                Statement s = c.createStatement()) {
            for (String db : List.of("auth", "secrets", "sharing", "audit", "keys")) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM `" + stack.databasePrefix() + db + "`.flyway_schema_history WHERE success = 1")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).as("migrations in " + db).isPositive();
                }
            }
        }
    }

    @Test
    @Order(4)
    void brokerCarriesMessagesBetweenClients() {
        String topic = "stack-test-" + UUID.randomUUID();
        String payload = "hello-" + UUID.randomUUID();
        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "key", payload)).get();
        } catch (Exception e) {
            throw new AssertionError("producing to the stack's broker failed", e);
        }
        Properties consumerConfig = new Properties();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "stack-test");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (received.isEmpty() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    received.add(record.value());
                }
            }
        }
        assertThat(received).containsExactly(payload);
    }

    @Test
    @Order(5)
    void aForgedEventOnTheTopicIsNotAccepted() throws Exception {
        AuditTrustChecks.forgedEventsStayOutOfTheLog(stack);
    }

    @Test
    @Order(5)
    void aKmsCallerCannotUseAnotherServicesKey() throws Exception {
        ReviewExploitChecks.aKmsCallerCannotUseAnotherServicesKey(stack);
    }

    @Test
    @Order(5)
    void aWriteGranteeCannotDestroyHistory() throws Exception {
        ReviewExploitChecks.aWriteGranteeCannotDestroyHistory(stack);
    }

    @Test
    @Order(5)
    void aLockedAccountAnswersLikeAMadeUpOne() throws Exception {
        ReviewExploitChecks.aLockedAccountAnswersLikeAMadeUpOne(stack);
    }

    @Test
    @Order(5)
    void errorsAreProblemJsonWithoutInternals() throws Exception {
        for (String service : LocalStack.SERVICES) {
            HttpResponse<String> missing = get(stack.url(service) + "/v1/does-not-exist");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(missing.body()).doesNotContain("Exception").doesNotContain(".java:");
        }
    }

    @Test
    @Order(6)
    void totpSecretsAreSealedThroughKeyServiceWithAuthServicesOwnToken() throws Exception {
        // auth-service signs itself a kms token; key-service checks it against auth-service's JWKS.
        String auth = stack.url("auth-service");
        String name = "mfa-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "stack test passphrase " + UUID.randomUUID();
        String credentials = JSON.writeValueAsString(Map.of("username", name, "password", password));
        HttpResponse<String> registered = post(auth + "/v1/auth/register", null, credentials);
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        String id = JSON.readTree(registered.body()).path("id").asText();
        String access = JSON.readTree(post(auth + "/v1/auth/login", null, credentials).body()).path("accessToken").asText();
        HttpResponse<String> enrolment = post(auth + "/v1/auth/mfa/totp", access, JSON.writeValueAsString(Map.of("password", password)));
        assertThat(enrolment.statusCode()).as(enrolment.body()).isEqualTo(200);
        byte[] key = base32(JSON.readTree(enrolment.body()).path("secret").asText());
        long step = System.currentTimeMillis() / 1000 / 30;
        HttpResponse<String> confirmed = post(auth + "/v1/auth/mfa/totp/confirm", access, "{\"code\":\"" + totp(key, step) + "\"}");
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        HttpResponse<String> login = post(auth + "/v1/auth/login", null, JSON.writeValueAsString(
                Map.of("username", name, "password", password, "totp", totp(key, step + 1))));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/" + stack.databasePrefix() + "auth", "root", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT totp_secret FROM users WHERE id = '" + id + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBytes(1)[0]).as("an envelope, not base32").isEqualTo((byte) 1);
        }
    }

    @Test
    @Order(7)
    void auditedActionsReachTheChainedLogAndSplunkWithCimFields() throws Exception {
        String admin = adminToken();
        String key = createKey(admin);
        JsonNode event = awaitAuditEvents(admin, List.of(key)).get(key);
        assertThat(event.path("source").asText()).isEqualTo("strongroom/key-service");
        assertThat(event.path("data").path("actor").path("name").asText()).isEqualTo(stack.admin()[0]);
        assertThat(event.path("hash").asText()).hasSize(64);

        JsonNode envelope = awaitAtSplunk(List.of(event.path("id").asText())).get(0);
        assertThat(envelope.path("sourcetype").asText()).isEqualTo("strongroom:audit");
        JsonNode cim = envelope.path("event");
        assertThat(cim.path("id").asText()).isEqualTo(event.path("id").asText());
        assertThat(cim.path("action").asText()).isNotBlank();
        assertThat(cim.path("user").asText()).isEqualTo(stack.admin()[0]);
        assertThat(cim.path("object").asText()).isEqualTo(key);
        assertThat(SPLUNK.authorizations()).allMatch(("Splunk " + SPLUNK.token())::equals);
    }

    /**
     * Issue 6's walk on the running stack: one user stores, versions, rotates, rolls back, shares access with a
     * second user, revokes it, soft-deletes and restores a secret; a service account reads it by name; every step
     * is in the chained audit log (secrets-service, its outbox, the broker and audit-service, all real).
     */
    @Test
    @Order(8)
    void aSecretsLifeIsAuditedStepByStepAndAServiceReadsItByName() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String admin = adminToken();
        String alice = registered("alice" + suffix);
        String bob = registered("bob" + suffix);
        String secrets = stack.url("secrets-service");
        String name = "payments/db-" + suffix;
        String v1 = "v1-" + UUID.randomUUID();

        HttpResponse<String> created = post(secrets + "/v1/secrets", alice, JSON.writeValueAsString(Map.of("name", name,
                "environment", "production", "value", v1, "type", "password",
                "rotation", Map.of("intervalDays", 30, "generator", Map.of("type", "password", "length", 24)))));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).path("id").asText();
        String secret = secrets + "/v1/secrets/" + id;

        assertThat(field(send("PUT", secret + "/value", alice, "{\"value\":\"v2-" + suffix + "\",\"cas\":1}"), 200, "version")).isEqualTo("2");
        assertThat(field(post(secret + "/rotate", alice, "{}"), 200, "version")).isEqualTo("3");
        assertThat(field(post(secret + "/rollback", alice, "{\"version\":1}"), 200, "version")).isEqualTo("4");
        assertThat(field(get(secret + "/value", alice), 200, "value")).isEqualTo(v1);
        assertThat(get(secret + "/value", bob).statusCode()).isEqualTo(404);
        String grantBob = "{\"grants\":[{\"principal\":\"user:bob" + suffix + "\",\"permissions\":[\"READ\"]}]}";
        assertThat(send("PUT", secret + "/access", alice, grantBob).statusCode()).isEqualTo(200);
        assertThat(field(get(secret + "/value", bob), 200, "value")).isEqualTo(v1);
        assertThat(send("PUT", secret + "/access", alice, "{\"grants\":[]}").statusCode()).isEqualTo(200);
        assertThat(get(secret + "/value", bob).statusCode()).as("after the revocation").isEqualTo(404);
        assertThat(send("DELETE", secret, alice, null).statusCode()).isEqualTo(204);
        assertThat(get(secret + "/value", alice).statusCode()).as("soft-deleted").isEqualTo(404);
        assertThat(field(post(secret + "/restore", alice, ""), 200, "currentVersion")).isEqualTo("4");

        HttpResponse<String> account = post(stack.url("auth-service") + "/v1/admin/service-accounts", admin,
                "{\"name\":\"ci-" + suffix + "\",\"roles\":[\"user\"]}");
        assertThat(account.statusCode()).as(account.body()).isEqualTo(201);
        JsonNode client = JSON.readTree(account.body());
        HttpResponse<String> token = HTTP.send(HttpRequest.newBuilder(URI.create(stack.url("auth-service") + "/v1/auth/token"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + client.path("clientId").asText()
                        + "&client_secret=" + client.path("clientSecret").asText()))
                .build(), HttpResponse.BodyHandlers.ofString());
        String service = JSON.readTree(token.body()).path("access_token").asText();
        String grantService = "{\"grants\":[{\"principal\":\"service:ci-" + suffix + "\",\"permissions\":[\"READ\"]}]}";
        assertThat(send("PUT", secret + "/access", alice, grantService).statusCode()).isEqualTo(200);
        assertThat(field(get(secrets + "/v1/environments/production/secrets/" + name + "/value", service), 200, "value")).isEqualTo(v1);

        List<String> expected = List.of("secret.created", "secret.updated", "secret.rotated", "secret.rolled_back",
                "secret.read alice", "secret.access_denied bob", "secret.access_changed", "secret.read bob",
                "secret.access_changed", "secret.access_denied bob", "secret.deleted", "secret.restored",
                "secret.access_changed", "secret.read ci-");
        List<String> logged = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 120_000;
        while (logged.size() < expected.size() && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            logged.clear();
            HttpResponse<String> page = get(stack.url("audit-service") + "/v1/audit/events?resourceId=" + id + "&limit=100", admin);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            for (JsonNode event : JSON.readTree(page.body()).path("items")) {
                String action = event.path("data").path("action").asText();
                String actor = event.path("data").path("actor").path("name").asText().replace(suffix, "");
                logged.add(action.equals("secret.read") || action.equals("secret.access_denied") ? action + " " + actor : action);
                assertThat(event.path("hash").asText()).as("chained").hasSize(64);
                assertThat(event.toString()).as("no value in the log").doesNotContain(v1);
            }
        }
        assertThat(logged).containsExactlyInAnyOrderElementsOf(expected);
    }

    /**
     * Issue 14's walk on the running stack: a user shares a production secret with a passphrase and 2 views; the
     * recipient opens it once in headless Chromium (the share page decrypts with WebCrypto) and once with
     * {@code reveal}; the third open is 410. The creator got an email (GreenMail, a real SMTP server) and a
     * webhook per open, administrators one for the production share; the chained audit log tells the whole story
     * without the value; the sharing database holds no value, token or key.
     */
    @Test
    @Order(8)
    void aShareIsOpenedInChromiumAndByRevealThenGoneWithTheWholeStoryAudited() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String admin = adminToken();
        String carol = registered("carol" + suffix);
        String value = "share-walk-" + UUID.randomUUID();
        String passphrase = "tell them by phone " + suffix;
        String creatorMail = "carol-" + suffix + "@strongroom.test";
        HttpResponse<String> created = post(stack.url("secrets-service") + "/v1/secrets", carol, JSON.writeValueAsString(Map.of(
                "name", "vendor/api-key-" + suffix, "environment", "production", "value", value)));
        String secretId = field(created, 201, "id");

        HttpResponse<String> shared = post(stack.url("sharing-service") + "/v1/shares", carol, JSON.writeValueAsString(Map.of(
                "secretId", secretId, "maxViews", 2, "ttlSeconds", 600, "passphrase", passphrase, "notifyEmail", creatorMail)));
        assertThat(shared.statusCode()).as(shared.body()).isEqualTo(201);
        JsonNode share = JSON.readTree(shared.body());
        String shareId = share.path("id").asText();
        String url = share.path("url").asText();
        assertThat(url).startsWith(stack.url("sharing-service") + "/s/");
        String token = url.substring(url.lastIndexOf('/') + 1, url.indexOf('#'));
        String key = url.substring(url.indexOf('#') + 1);

        // Once in Chromium: the page asks for the passphrase, then shows the value.
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu");
        WebDriver browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).usingAnyFreePort().build(), options);
        try {
            browser.get(url);
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            browser.findElement(By.id("reveal")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("passphrase"))).sendKeys(passphrase);
            browser.findElement(By.id("reveal")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("value")));
            assertThat(browser.findElement(By.id("value")).getDomProperty("value")).isEqualTo(value);
        } finally {
            browser.quit();
        }
        // Once with reveal, then gone.
        String sharing = stack.url("sharing-service") + "/v1/shares/" + token;
        HttpResponse<String> revealed = post(sharing + "/reveal", null, JSON.writeValueAsString(Map.of("key", key, "passphrase", passphrase)));
        assertThat(field(revealed, 200, "value")).isEqualTo(value);
        assertThat(JSON.readTree(revealed.body()).path("viewsLeft").asInt()).isZero();
        HttpResponse<String> third = post(sharing + "/open", null, JSON.writeValueAsString(Map.of("passphrase", passphrase)));
        assertThat(third.statusCode()).as(third.body()).isEqualTo(410);
        assertThat(JSON.readTree(third.body()).path("type").asText()).endsWith("/share-used-up");

        // The creator was told twice by email and webhook; admins of the production share.
        long deadline = System.currentTimeMillis() + 60_000;
        List<String> toCreator = new ArrayList<>();
        List<String> toAdmins = new ArrayList<>();
        while (System.currentTimeMillis() < deadline && (toCreator.size() < 2 || toAdmins.isEmpty() || WEBHOOK.size() < 3)) {
            Thread.sleep(500);
            toCreator.clear();
            toAdmins.clear();
            for (jakarta.mail.internet.MimeMessage mail : SMTP.getReceivedMessages()) {
                String body = mail.getContent().toString();
                if (body.contains(shareId) && mail.getAllRecipients()[0].toString().equals(creatorMail)) {
                    toCreator.add(mail.getSubject() + "\n" + body);
                }
                if (body.contains(shareId) && mail.getAllRecipients()[0].toString().equals("secops@strongroom.test")) {
                    toAdmins.add(body);
                }
            }
        }
        assertThat(toCreator).hasSize(2).allMatch(mail -> mail.startsWith("Strongroom: your share was opened"));
        assertThat(toCreator.get(0) + toCreator.get(1)).contains("1 view(s) left").contains("0 view(s) left");
        assertThat(toAdmins).hasSize(1);
        assertThat(WEBHOOK).filteredOn(body -> body.contains(shareId)).hasSize(3);
        for (String message : concat(toCreator, toAdmins, WEBHOOK)) {
            assertThat(message).doesNotContain(value).doesNotContain(token).doesNotContain(key).doesNotContain(passphrase);
        }

        // The whole story in the chained audit log, without the value, token, key or passphrase.
        List<String> expected = List.of("share.created", "share.open_refused passphrase_required", "share.opened open",
                "share.opened reveal", "share.open_refused used_up");
        List<String> logged = new ArrayList<>();
        deadline = System.currentTimeMillis() + 120_000;
        boolean sharedRead = false;
        while ((logged.size() < expected.size() || !sharedRead) && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            logged.clear();
            HttpResponse<String> page = get(stack.url("audit-service") + "/v1/audit/events?resourceId=" + shareId + "&limit=100", admin);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            for (JsonNode event : JSON.readTree(page.body()).path("items")) {
                String action = event.path("data").path("action").asText();
                logged.add(action + (action.equals("share.opened") ? " " + event.path("data").path("details").path("via").asText()
                        : action.equals("share.open_refused") ? " " + event.path("data").path("reason").asText() : ""));
                assertThat(event.path("hash").asText()).as("chained").hasSize(64);
                assertThat(event.toString()).doesNotContain(value).doesNotContain(token).doesNotContain(key).doesNotContain(passphrase);
            }
            HttpResponse<String> reads = get(stack.url("audit-service") + "/v1/audit/events?resourceId=" + secretId
                    + "&action=secret.read&limit=100", admin);
            for (JsonNode event : JSON.readTree(reads.body()).path("items")) {
                sharedRead |= "share".equals(event.path("data").path("details").path("purpose").asText());
            }
        }
        assertThat(logged).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(sharedRead).as("secrets-service audited the read for the share").isTrue();

        // Nothing that opens the value is in sharing-service's database.
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/" + stack.databasePrefix() + "sharing", "root", "")) {
            String dump = TableDump.of(c, "share");
            assertThat(dump).contains(secretId.replace("-", "")).doesNotContain(value).doesNotContain(token)
                    .doesNotContain(key).doesNotContain(passphrase);
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    // The sr command line and agent against this stack (CliChecks).

    @Test
    @Order(8)
    void cliLogsInWithAndWithoutTotpRefreshesAnExpiredSessionAndLogsOut() throws Exception {
        new CliChecks(stack).loginWithAndWithoutTotpRefreshAndLogout();
    }

    @Test
    @Order(8)
    void cliSecretAccessKeyAndAuditCommandsWorkAndRefuse() throws Exception {
        new CliChecks(stack).secretCommandsWorkAndRefuse();
    }

    @Test
    @Order(8)
    void cliRunPassesValuesToTheChildOnlyThroughItsEnvironment() throws Exception {
        new CliChecks(stack).runPassesValuesOnlyThroughTheEnvironment();
    }

    @Test
    @Order(8)
    void cliSharesASecretAndOpensTheLinkOnceDecryptingWithTheFragmentKey() throws Exception {
        new CliChecks(stack).shareCreateThenOpenGivesTheValueOnce();
    }

    @Test
    @Order(8)
    void cliAgentWritesAWorkloadsSecretsFromAProjectedTokenAndFollowsRotation() throws Exception {
        CliChecks checks = new CliChecks(stack);
        checks.agentWritesAWorkloadsSecretsAndFollowsRotation();
        checks.noValueInTheServicesLogs();
    }

    @Test
    @Order(9)
    void nothingIsLostWhenAuditServiceTheBrokerAndSplunkGoDownDuringActivity() throws Exception {
        String admin = adminToken();
        // audit-service killed outright and Splunk unreachable: keys are still created, their events wait in Kafka.
        ProcessHandle.of(stack.pid("audit-service")).ifPresent(ProcessHandle::destroyForcibly);
        SPLUNK.stop();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            keys.add(createKey(admin));
        }
        // The broker killed too: the events wait in key-service's outbox.
        ProcessHandle broker = ProcessHandle.of(stack.pid("kafka")).orElseThrow();
        broker.destroyForcibly();
        broker.onExit().get();
        for (int i = 0; i < 5; i++) {
            keys.add(createKey(admin));
        }

        // an older copy of audit-service's build that nothing runs from: the up that starts it again removes it
        Path unused = stack.home().resolve("app/builds/audit-service-19700101000000000000000");
        Files.createDirectories(unused);
        Files.writeString(unused.resolve("quarkus-run.jar"), "an old build");
        LocalStack.Result restart = stack.up(); // starts what stopped: the broker and audit-service
        assertThat(restart.exitCode()).as(restart.output()).isZero();
        assertThat(unused).as("an unused copy of a build").doesNotExist();
        assertThat(stack.home().resolve("app/audit-service/quarkus-run.jar")).exists();
        SPLUNK.start();

        Map<String, JsonNode> events = awaitAuditEvents(admin, keys);
        List<String> ids = events.values().stream().map(e -> e.path("id").asText()).toList();
        List<JsonNode> atSplunk = awaitAtSplunk(ids);
        assertThat(atSplunk.stream().map(e -> e.path("event").path("id").asText()).distinct()).hasSize(keys.size());

        JsonNode integrity = JSON.readTree(get(stack.url("audit-service") + "/v1/audit/integrity", admin).body());
        assertThat(integrity.path("ok").asBoolean()).as(integrity.toString()).isTrue();
    }

    @Test
    @Order(10)
    void everyMetricTheDashboardsAndAlertRulesUseIsExported() throws Exception {
        // the extractor itself: metric names only, not functions, labels, groupings or durations
        assertThat(ObservabilityMetricNames.metricNames(
                "sum by (job, le) (rate(a_seconds_bucket{uri!~\"/q/.*\"}[5m])) / on (job) b_total offset 1h > bool 0.5 and time() - c"))
                .containsExactly("a_seconds_bucket", "b_total", "c");
        java.util.Set<String> exported = new java.util.TreeSet<>(ObservabilityMetricNames.PROMETHEUS_OWN);
        for (String service : LocalStack.SERVICES) {
            HttpResponse<String> metrics = get(stack.url(service) + "/q/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            exported.addAll(ObservabilityMetricNames.exported(metrics.body()));
        }
        Map<String, java.util.Set<String>> used = ObservabilityMetricNames.used(stack.root().resolve("deploy/observability"));
        assertThat(used).containsKeys("http_server_requests_seconds_bucket", "strongroom_audit_integrity_broken",
                "strongroom_secrets_expiring_week", "strongroom_keys_rotation_overdue", "jvm_memory_used_bytes");
        Map<String, java.util.Set<String>> missing = new java.util.TreeMap<>(used);
        missing.keySet().removeAll(exported);
        assertThat(missing).as("metrics the dashboards and alert rules use that no service exports").isEmpty();
    }

    @Test
    @Order(10)
    void aServiceImageRunsUnderAnOciRuntimeReadOnlyAndNonRootAndAnswersReady() throws Exception {
        Path images = stack.home().resolve("images");
        LocalStack.Result built = stack.with("STRONGROOM_IMAGES_DIR", images.toString())
                .run(Duration.ofMinutes(5), "images", "key-service");
        assertThat(built.exitCode()).as(built.output()).isZero();
        assertThat(images.resolve("oci/index.json")).exists();
        // key-service's image on this stack's broker, its own database and the stack's root key, mounted read-only
        Path mounted = Files.createDirectories(stack.home().resolve("image-mount"));
        Files.copy(stack.home().resolve("secrets/root-keyset.json"), mounted.resolve("root-keyset.json"));
        Files.setPosixFilePermissions(mounted.resolve("root-keyset.json"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(mounted, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessBuilder run = new ProcessBuilder(stack.root().resolve("deploy/images/run-image").toString(), "key-service",
                Integer.toString(port)).redirectErrorStream(true);
        run.environment().keySet().removeIf(name -> name.startsWith("STRONGROOM_"));
        run.environment().putAll(Map.of(
                "STRONGROOM_IMAGES_DIR", images.toString(),
                "STRONGROOM_DB_NAME", stack.databasePrefix() + "image_keys",
                "STRONGROOM_KAFKA_BOOTSTRAP", stack.kafkaBootstrap(),
                "STRONGROOM_KEYS_ROOT", "/etc/strongroom/mounted/root-keyset.json",
                // production mode: no start without the key its audit events are signed with
                "STRONGROOM_AUDIT_SIGNING_KEY", AuditTrustChecks.auditKey(stack, "key-service"),
                "STRONGROOM_RUN_MOUNT", mounted.toString()));
        Process process = run.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        assertThat(output).contains("key-service ready: GET http://127.0.0.1:" + port + "/q/health/ready -> 200 (uid 10001)");
    }

    @Test
    @Order(10)
    void everyOperationSurvivesTheSeededFuzzer() throws Exception {
        new FuzzChecks(stack).everyOperationSurvivesTheFuzzer(); // FuzzChecks: what it sends and checks
    }

    @Test
    @Order(10)
    void theSrImageRunsTheAgentUnderAnOciRuntimeAndWritesAWorkloadsSecret() throws Exception {
        new ImageChecks(stack).srAgentImageWritesAWorkloadsSecretUnderRunc();
    }

    @Test
    @Order(10)
    void upAgainIsHarmlessAndStatusShowsAllReady() throws Exception {
        LocalStack.Result again = stack.up();
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).doesNotContain("Starting Kafka");
        LocalStack.Result status = stack.run(Duration.ofSeconds(60), "status");
        for (String service : LocalStack.SERVICES) {
            assertThat(status.output()).containsPattern(service + "\\s+\\d+\\s+ready");
        }
    }

    @Test
    @Order(11)
    void downStopsEverythingItStarted() throws Exception {
        assertThat(stack.leftoverProcesses()).hasSize(6); // five services and the broker
        LocalStack.Result down = stack.down();
        assertThat(down.exitCode()).as(down.output()).isZero();
        assertThat(stack.leftoverProcesses()).isEmpty();
        for (String service : LocalStack.SERVICES) {
            assertThat(down.output()).contains("stopped " + service);
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String token, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String method, String url, String token, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The response's top-level field as text, after checking its status. */
    private static String field(HttpResponse<String> response, int status, String name) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body()).path(name).asText();
    }

    /** Registers a user and returns its access token. */
    private static String registered(String username) throws Exception {
        String credentials = JSON.writeValueAsString(Map.of("username", username, "password", "correct horse battery " + UUID.randomUUID()));
        HttpResponse<String> registered = post(stack.url("auth-service") + "/v1/auth/register", null, credentials);
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        HttpResponse<String> login = post(stack.url("auth-service") + "/v1/auth/login", null, credentials);
        return field(login, 200, "accessToken");
    }

    private static String adminToken() throws Exception {
        return StackCalls.adminToken(stack);
    }

    private static String createKey(String token) throws Exception {
        String name = "stack-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = post(stack.url("key-service") + "/v1/keys", token,
                "{\"name\":\"" + name + "\",\"algorithm\":\"AES256_GCM\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return name;
    }

    /** Waits until the audit log holds exactly one key.created event per key; returns them by key name. */
    private static Map<String, JsonNode> awaitAuditEvents(String token, List<String> keys) throws Exception {
        Map<String, JsonNode> found = new HashMap<>();
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            found.clear();
            Map<String, Integer> copies = new HashMap<>();
            HttpResponse<String> page = get(stack.url("audit-service") + "/v1/audit/events?action=key.created&limit=500", token);
            if (page.statusCode() == 200) {
                for (JsonNode event : JSON.readTree(page.body()).path("items")) {
                    String name = event.path("data").path("resource").path("name").asText();
                    if (keys.contains(name)) {
                        found.put(name, event);
                        copies.merge(name, 1, Integer::sum);
                    }
                }
            }
            if (found.keySet().containsAll(keys)) {
                assertThat(copies.values()).as("copies per event in the log").allMatch(n -> n == 1);
                return Map.copyOf(found);
            }
            Thread.sleep(500);
        }
        throw new AssertionError("audit log holds " + found.keySet() + " of " + keys);
    }

    private static List<JsonNode> awaitAtSplunk(List<String> eventIds) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            List<JsonNode> indexed = SPLUNK.indexedWithEventIdIn(eventIds);
            if (indexed.stream().map(e -> e.path("event").path("id").asText()).distinct().count() == eventIds.size()) {
                return indexed;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Splunk received " + SPLUNK.indexedWithEventIdIn(eventIds).size() + " of " + eventIds.size() + " events");
    }

    /** RFC 6238 with HMAC-SHA1, 6 digits, 30 s steps (what auth-service enrols). */
    private static String totp(byte[] key, long step) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA1"));
        byte[] hash = mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(step).array());
        int offset = hash[hash.length - 1] & 0xf;
        int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16) | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
        return String.format("%06d", binary % 1_000_000);
    }

    private static byte[] base32(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : text.toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }
}
