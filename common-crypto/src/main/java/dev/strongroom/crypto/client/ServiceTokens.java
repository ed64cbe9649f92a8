package dev.strongroom.crypto.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * A service's own access token, presented to our other services (key-service, secrets-service, …): a fixed
 * token, a token from auth-service's client-credentials grant, or (auth-service itself) one it signs locally.
 * The token is cached and replaced {@code refreshMargin} before it expires. {@link #current()} never blocks:
 * it answers the cached token (starting a refresh in the background when it is due) and may be called on an
 * event loop; {@link #ready()} completes once a fresh token is at hand. Neither the token nor the client
 * secret appears in a message or {@code toString}.
 */
public final class ServiceTokens {

    private static final System.Logger LOG = System.getLogger(ServiceTokens.class.getName());
    private static final CompletableFuture<Void> READY = CompletableFuture.completedFuture(null);

    /** Where fresh tokens come from; null: nowhere (a fixed token, or no credentials). */
    private final Supplier<CompletionStage<IssuedToken>> source;
    private final Duration refreshMargin;
    private final AtomicReference<IssuedToken> token = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<IssuedToken>> inFlight = new AtomicReference<>();

    private ServiceTokens(IssuedToken fixed, Supplier<CompletionStage<IssuedToken>> source, Duration refreshMargin) {
        this.source = source;
        this.refreshMargin = Objects.requireNonNull(refreshMargin);
        token.set(fixed);
    }

    /** An access token and when it expires ({@link Instant#MAX}: never). */
    public record IssuedToken(String value, Instant expiresAt) {
        public IssuedToken {
            Objects.requireNonNull(value);
            Objects.requireNonNull(expiresAt);
        }

        boolean freshAt(Instant now, Duration margin) {
            return expiresAt.equals(Instant.MAX) || now.plus(margin).isBefore(expiresAt);
        }

        @Override
        public String toString() {
            return "IssuedToken[expiresAt=" + expiresAt + "]";
        }
    }

    /**
     * From configuration: the fixed {@code token} when set, else the client-credentials grant when
     * {@code client-id} and {@code client-secret} are set, else none (warned once, naming {@code prefix}:
     * calls needing the token then fail at the callee). {@code tls}: the trust of an https:// token endpoint
     * (null: the JVM's).
     */
    public static ServiceTokens from(ServiceCredentialsConfig config, Duration timeout, String prefix, SSLContext tls) {
        if (config.token().isPresent()) {
            return fixed(config.token().get());
        }
        if (config.clientId().isEmpty() || config.clientSecret().isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "No service credentials: set " + prefix + ".client-id and " + prefix
                    + ".client-secret (or " + prefix + ".token); calls that need this service's token will fail");
            return new ServiceTokens(null, null, config.tokenRefreshMargin());
        }
        return clientCredentials(config.tokenUrl(), config.clientId().get(), config.clientSecret().get(), timeout,
                config.tokenRefreshMargin(), tls);
    }

    /** Always {@code token} (tests, or a token minted by an operator). */
    public static ServiceTokens fixed(String token) {
        return new ServiceTokens(new IssuedToken(token, Instant.MAX), null, Duration.ZERO);
    }

    /** Tokens issued by {@code issuer} (a local signature, so quick enough for an event loop), renewed {@code refreshMargin} early. */
    public static ServiceTokens issuedBy(Supplier<IssuedToken> issuer, Duration refreshMargin) {
        Objects.requireNonNull(issuer);
        return new ServiceTokens(null, () -> CompletableFuture.completedFuture(issuer.get()), refreshMargin);
    }

    /**
     * Tokens of service account {@code clientId} from the OAuth2 client-credentials grant at {@code tokenUrl};
     * an https:// endpoint is verified against {@code tls} (null: the JVM's trust store).
     */
    public static ServiceTokens clientCredentials(URI tokenUrl, String clientId, String clientSecret, Duration timeout,
            Duration refreshMargin, SSLContext tls) {
        ClientCredentials grant = new ClientCredentials(tokenUrl, clientId, clientSecret, timeout,
                httpClient(timeout, tls).build());
        return new ServiceTokens(null, grant::fetch, refreshMargin);
    }

    /** An HTTP client builder for calls to our services: this connect timeout, and {@code tls} when not null. */
    static HttpClient.Builder httpClient(Duration timeout, SSLContext tls) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
        return tls == null ? builder : builder.sslContext(tls);
    }

    /** The current token, or null when none was obtained yet; never blocks. Starts a renewal when one is due. */
    public String current() {
        IssuedToken t = token.get();
        if (source != null && (t == null || !t.freshAt(Instant.now(), refreshMargin))) {
            // A local issuer completes at once; a remote grant fills the cache for the next call.
            fetchOnce();
            t = token.get();
        }
        return t == null ? null : t.value();
    }

    /** True when no fetch is needed before the next call ({@link #ready()} completes at once). */
    public boolean fresh() {
        IssuedToken t = token.get();
        return source == null || (t != null && t.freshAt(Instant.now(), refreshMargin));
    }

    /** Completes once a fresh token is at hand; fails with {@link ServiceCredentialsException} when none can be had. */
    public CompletionStage<Void> ready() {
        if (fresh()) {
            return READY;
        }
        return fetchOnce().thenApply(t -> null);
    }

    private CompletableFuture<IssuedToken> fetchOnce() {
        CompletableFuture<IssuedToken> mine = new CompletableFuture<>();
        CompletableFuture<IssuedToken> running = inFlight.compareAndExchange(null, mine);
        if (running != null) {
            return running;
        }
        CompletionStage<IssuedToken> fetch;
        try {
            fetch = source.get();
        } catch (RuntimeException e) {
            fetch = CompletableFuture.failedFuture(e);
        }
        fetch.whenComplete((fetched, failure) -> {
            if (failure == null) {
                token.set(fetched);
            }
            inFlight.set(null);
            if (failure != null) {
                mine.completeExceptionally(failure);
            } else {
                mine.complete(fetched);
            }
        });
        return mine;
    }

    @Override
    public String toString() {
        IssuedToken t = token.get();
        return "ServiceTokens[" + (t == null ? "none" : t) + "]";
    }

    /** The OAuth2 client-credentials grant against auth-service's token endpoint. */
    private record ClientCredentials(URI tokenUrl, String clientId, String clientSecret, Duration timeout, HttpClient http) {

        private static final ObjectMapper JSON = new ObjectMapper();

        CompletionStage<IssuedToken> fetch() {
            String form = "grant_type=client_credentials&client_id=" + encode(clientId) + "&client_secret=" + encode(clientSecret);
            HttpRequest request = HttpRequest.newBuilder(tokenUrl)
                    .timeout(timeout)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(form))
                    .build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                    .thenApply(this::parse);
        }

        private IssuedToken parse(HttpResponse<byte[]> response) {
            if (response.statusCode() != 200) {
                throw new ServiceCredentialsException("auth-service answered " + response.statusCode()
                        + " to the client-credentials request of client " + clientId);
            }
            JsonNode json;
            try {
                json = JSON.readTree(response.body());
            } catch (IOException e) {
                throw new ServiceCredentialsException("auth-service's token answer is not JSON");
            }
            String value = json.path("access_token").asText(null);
            long expiresIn = json.path("expires_in").asLong(300);
            if (value == null || value.isBlank()) {
                throw new ServiceCredentialsException("auth-service's token answer has no access_token");
            }
            return new IssuedToken(value, Instant.now().plusSeconds(expiresIn));
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "ClientCredentials[" + clientId + " at " + tokenUrl + "]";
        }
    }
}
