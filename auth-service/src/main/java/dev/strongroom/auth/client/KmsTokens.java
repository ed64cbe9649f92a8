package dev.strongroom.auth.client;

import dev.strongroom.auth.config.AuthConfig;
import dev.strongroom.auth.service.TokenIssuer;
import dev.strongroom.common.audit.UuidV7;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The access token auth-service presents to key-service (role {@code kms}). auth-service is the token
 * issuer, so it needs no client secret: it signs itself a service token with its active signing key
 * (subject and name {@code auth-service}, {@code principal_type=service}, a session id of its own per
 * process), verified by key-service against auth-service's JWKS like any other token, and replaced
 * {@code token-refresh-margin} before it expires. {@code strongroom.auth.kms.token} fixes the token
 * instead (tests). {@link #current()} never blocks: signing is a local RSA signature.
 */
@ApplicationScoped
public class KmsTokens {

    /** Subject and name of auth-service's own token (key-service's audit shows it as the actor). */
    public static final String SELF = "auth-service";

    private final AuthConfig.Kms config;
    private final TokenIssuer issuer;
    private final String sessionId = UuidV7.next().toString();
    private final AtomicReference<Token> token = new AtomicReference<>();

    @Inject
    public KmsTokens(AuthConfig config, TokenIssuer issuer) {
        this.config = config.kms();
        this.issuer = issuer;
        this.config.token().ifPresent(fixed -> token.set(new Token(fixed, Instant.MAX)));
    }

    /** A token valid for at least the refresh margin. */
    public String current() {
        Token t = token.get();
        Instant now = Instant.now();
        if (t != null && t.freshAt(now, config.tokenRefreshMargin())) {
            return t.value;
        }
        TokenIssuer.AccessToken minted = issuer.issue(SELF, SELF, "service", Set.of("kms"), sessionId);
        Token fresh = new Token(minted.token(), now.plusSeconds(minted.expiresIn()));
        token.set(fresh);
        return fresh.value;
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
}
