package dev.strongroom.sharing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import dev.strongroom.testing.LocalIssuer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The outside world notifications go to: a real SMTP server (GreenMail) and a webhook receiver (the JDK's HTTP
 * server, answering 200 like a Slack incoming webhook), both on free loopback ports in the test JVM.
 */
public class NotificationTestResource implements QuarkusTestResourceLifecycleManager {

    static final String ADMINS = "security-admins@strongroom.test";

    private static volatile GreenMail smtp;
    private static final List<String> WEBHOOK = new CopyOnWriteArrayList<>();
    private HttpServer webhook;

    @Override
    public Map<String, String> start() {
        int smtpPort = LocalIssuer.freePort();
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        webhook.createContext("/hook", exchange -> {
            WEBHOOK.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhook.start();
        return Map.of(
                "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", String.valueOf(smtpPort),
                "quarkus.mailer.start-tls", "DISABLED",
                "strongroom.sharing.notifications.email-enabled", "true",
                "strongroom.sharing.notifications.admin-emails", ADMINS,
                "strongroom.sharing.notifications.webhook-url", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook");
    }

    @Override
    public void stop() {
        if (smtp != null) {
            smtp.stop();
        }
        if (webhook != null) {
            webhook.stop(0);
        }
    }

    /** Every message the SMTP server received. */
    static List<MimeMessage> mails() {
        return Arrays.asList(smtp.getReceivedMessages());
    }

    /** Every webhook body received. */
    static List<String> webhooks() {
        return List.copyOf(WEBHOOK);
    }
}
