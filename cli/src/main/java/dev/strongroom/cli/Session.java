package dev.strongroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Clock;
import java.util.Map;

/**
 * Where the caller's access token comes from, in this order: {@code STRONGROOM_TOKEN}; a service account's
 * client credentials ({@code STRONGROOM_CLIENT_ID} and {@code STRONGROOM_CLIENT_SECRET}, exchanged at
 * {@code POST /v1/auth/token}); the token cache of {@code sr login}, refreshed when it expires within 30 s.
 */
public final class Session {

    static final long REFRESH_MARGIN_SECONDS = 30;

    private final Map<String, String> env;
    private final Http http;
    private final URI auth;
    private final TokenCache cache;
    private final Clock clock;
    private String token;
    private boolean fromCache;

    public Session(Map<String, String> env, Http http, URI auth, TokenCache cache, Clock clock) {
        this.env = env;
        this.http = http;
        this.auth = auth;
        this.cache = cache;
        this.clock = clock;
    }

    public String accessToken() {
        if (token != null) {
            return token;
        }
        String fixed = env.get("STRONGROOM_TOKEN");
        if (fixed != null && !fixed.isBlank()) {
            token = fixed.strip();
            return token;
        }
        String clientId = env.get("STRONGROOM_CLIENT_ID");
        String clientSecret = env.get("STRONGROOM_CLIENT_SECRET");
        if (clientId != null && !clientId.isBlank()) {
            if (clientSecret == null || clientSecret.isBlank()) {
                throw new CliException(ExitCodes.UNAUTHENTICATED, "STRONGROOM_CLIENT_ID is set but STRONGROOM_CLIENT_SECRET is not");
            }
            token = clientCredentials(clientId.strip(), clientSecret.strip());
            return token;
        }
        TokenCache.Entry entry = cache.get(key());
        if (entry == null || entry.accessToken() == null) {
            throw new CliException(ExitCodes.UNAUTHENTICATED,
                    "not logged in to " + auth + ": run sr login (services: set STRONGROOM_CLIENT_ID and STRONGROOM_CLIENT_SECRET)");
        }
        fromCache = true;
        if (entry.expiresAtEpochSecond() - REFRESH_MARGIN_SECONDS <= clock.instant().getEpochSecond()) {
            entry = refresh(entry);
        }
        token = entry.accessToken();
        return token;
    }

    /** After a 401 with a cached token: one refresh, the new token, or null when there is nothing to refresh. */
    public String retryAfterUnauthorized() {
        if (!fromCache) {
            return null;
        }
        TokenCache.Entry entry = cache.get(key());
        if (entry == null || entry.refreshToken() == null) {
            return null;
        }
        token = refresh(entry).accessToken();
        return token;
    }

    /** Stores a fresh login answer ({@code accessToken, expiresIn, refreshToken}). */
    public TokenCache.Entry store(String username, JsonNode pair) {
        TokenCache.Entry entry = new TokenCache.Entry(username, pair.path("accessToken").asText(),
                pair.path("refreshToken").asText(null), clock.instant().getEpochSecond() + pair.path("expiresIn").asLong(0));
        cache.put(key(), entry);
        return entry;
    }

    public TokenCache.Entry cached() {
        return cache.get(key());
    }

    public void forget() {
        cache.remove(key());
    }

    private TokenCache.Entry refresh(TokenCache.Entry entry) {
        if (entry.refreshToken() == null) {
            throw new CliException(ExitCodes.UNAUTHENTICATED, "the session expired: run sr login");
        }
        Http.Answer answer = http.send("POST", URI.create(auth + "/v1/auth/refresh"), Map.of("refreshToken", entry.refreshToken()), null);
        if (answer.status() == 401 || answer.status() == 400) {
            cache.remove(key());
            throw new CliException(ExitCodes.UNAUTHENTICATED, "the session expired or was revoked: run sr login");
        }
        if (!answer.ok()) {
            throw Problems.toException(answer.status(), answer.body());
        }
        return store(entry.username(), answer.json());
    }

    private String clientCredentials(String clientId, String clientSecret) {
        Http.Answer answer = http.postForm(URI.create(auth + "/v1/auth/token"),
                Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", clientSecret));
        if (!answer.ok()) {
            CliException problem = Problems.toException(answer.status(), answer.body());
            throw new CliException(problem.exitCode(), "service account login failed: " + problem.getMessage());
        }
        return answer.json().path("access_token").asText();
    }

    private String key() {
        return auth.toString();
    }
}
