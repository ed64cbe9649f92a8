package dev.strongroom.secrets.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strongroom.secrets.config.SecretsConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The access token secrets-service presents to key-service (role {@code kms}). Either a fixed token
 * ({@code strongroom.secrets.kms.token}) or a service-account token from auth-service's client-credentials
 * grant, cached until shortly before it expires. {@link #current()} never blocks (the key-service
 * client calls it on the event loop); {@link #ready()} fetches a token first when none is fresh.
 */
@ApplicationScoped
public class KmsTokens {

    private static final Logger LOG = Logger.getLogger(KmsTokens.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecretsConfig.Kms config;
    private final HttpClient http;
    private final AtomicReference<Token> token = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<Token>> inFlight = new AtomicReference<>();

    @Inject
    public KmsTokens(SecretsConfig config) {
        this.config = config.kms();
        this.http = HttpClient.newBuilder().connectTimeout(this.config.timeout()).build();
        this.config.token().ifPresent(fixed -> token.set(new Token(fixed, Instant.MAX)));
        if (this.config.token().isEmpty() && (this.config.clientId().isEmpty() || this.config.clientSecret().isEmpty())) {
            LOG.warn("No credentials for key-service: set strongroom.secrets.kms.client-id and client-secret "
                    + "(or strongroom.secrets.kms.token); writes and uncached reads will fail");
        }
    }

    /** The current token, or null when none was fetched yet. */
    public String current() {
        Token t = token.get();
        return t == null ? null : t.value;
    }

    /** Completes once a token is fresh (fetching one when needed); fails when auth-service refuses or is down. */
    public Uni<Void> ready() {
        Token t = token.get();
        if (t != null && t.freshAt(Instant.now(), config.tokenRefreshMargin())) {
            return Uni.createFrom().voidItem();
        }
        if (config.clientId().isEmpty() || config.clientSecret().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().completionStage(this::fetchOnce)
                .replaceWithVoid();
    }

    private CompletableFuture<Token> fetchOnce() {
        CompletableFuture<Token> mine = new CompletableFuture<>();
        CompletableFuture<Token> running = inFlight.compareAndExchange(null, mine);
        if (running != null) {
            return running;
        }
        fetch().whenComplete((fetched, failure) -> {
            inFlight.set(null);
            if (failure != null) {
                mine.completeExceptionally(failure);
            } else {
                token.set(fetched);
                mine.complete(fetched);
            }
        });
        return mine;
    }

    private CompletableFuture<Token> fetch() {
        String form = "grant_type=client_credentials&client_id=" + encode(config.clientId().orElseThrow())
                + "&client_secret=" + encode(config.clientSecret().orElseThrow());
        HttpRequest request = HttpRequest.newBuilder(config.tokenUrl())
                .timeout(config.timeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(this::parse);
    }

    private Token parse(HttpResponse<byte[]> response) {
        if (response.statusCode() != 200) {
            throw new KmsCredentialsException("auth-service answered " + response.statusCode()
                    + " to the client-credentials request of client " + config.clientId().orElse("?"));
        }
        try {
            JsonNode json = JSON.readTree(response.body());
            String value = json.path("access_token").asText(null);
            long expiresIn = json.path("expires_in").asLong(300);
            if (value == null || value.isBlank()) {
                throw new KmsCredentialsException("auth-service's token answer has no access_token");
            }
            return new Token(value, Instant.now().plusSeconds(expiresIn));
        } catch (java.io.IOException e) {
            throw new KmsCredentialsException("auth-service's token answer is not JSON");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private record Token(String value, Instant expiresAt) {
        boolean freshAt(Instant now, Duration margin) {
            return expiresAt.equals(Instant.MAX) || now.plus(margin).isBefore(expiresAt);
        }

        @Override
        public String toString() {
            return "Token[expiresAt=" + expiresAt + "]";
        }
    }

    /** No key-service token could be obtained; the message names the client, never its secret. */
    public static class KmsCredentialsException extends RuntimeException {
        public KmsCredentialsException(String message) {
            super(message, null, false, false);
        }
    }
}
