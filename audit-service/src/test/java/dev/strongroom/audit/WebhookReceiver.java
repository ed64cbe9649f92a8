package dev.strongroom.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A Slack-style incoming webhook for tests: records each {@code {"text": ...}} it receives. */
public final class WebhookReceiver {

    private static WebhookReceiver shared;
    private final HttpServer server;
    private final List<String> texts = new CopyOnWriteArrayList<>();

    private WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/hooks/alerts", exchange -> {
            try (exchange) {
                JsonNode body = new ObjectMapper().readTree(exchange.getRequestBody());
                texts.add(body.path("text").asText());
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
    }

    public static synchronized WebhookReceiver shared() {
        if (shared == null) {
            try {
                shared = new WebhookReceiver();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/alerts";
    }

    public List<String> texts() {
        return texts;
    }
}
