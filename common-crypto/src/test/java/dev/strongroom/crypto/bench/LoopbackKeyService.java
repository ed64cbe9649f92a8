package dev.strongroom.crypto.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.strongroom.crypto.client.KeyServiceClient;
import dev.strongroom.crypto.keys.VersionedKeyset;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Base64;
import java.util.concurrent.Executors;

/**
 * Benchmark-only stand-in for key-service's encrypt/decrypt endpoints on loopback HTTP, so the
 * benchmark measures the client and the network hop without a database. Not a test double: the
 * functional tests run against the real key-service (key-service's KeyServiceClientTest).
 */
final class LoopbackKeyService {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;

    private LoopbackKeyService(HttpServer server) {
        this.server = server;
    }

    static LoopbackKeyService start(VersionedKeyset keyset) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.createContext("/v1/keys/secrets/", exchange -> handle(exchange, keyset));
            server.start();
            return new LoopbackKeyService(server);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    KeyServiceClient client() {
        return KeyServiceClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .bearerToken(() -> "benchmark")
                .build();
    }

    void stop() {
        server.stop(0);
    }

    private static void handle(HttpExchange exchange, VersionedKeyset keyset) throws IOException {
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            byte[] context = Base64.getDecoder().decode(body.path("context").asText());
            String answer;
            if (exchange.getRequestURI().getPath().endsWith("/encrypt")) {
                byte[] ciphertext = keyset.encrypt(Base64.getDecoder().decode(body.path("plaintext").asText()), context);
                answer = JSON.createObjectNode()
                        .put("ciphertext", Base64.getEncoder().encodeToString(ciphertext))
                        .put("keyVersion", keyset.primaryVersion())
                        .toString();
            } else {
                byte[] plaintext = keyset.decrypt(Base64.getDecoder().decode(body.path("ciphertext").asText()), context, 0);
                answer = JSON.createObjectNode().put("plaintext", Base64.getEncoder().encodeToString(plaintext)).toString();
            }
            byte[] bytes = answer.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (Exception e) {
            exchange.sendResponseHeaders(500, -1);
        }
    }
}
