package dev.strongroom.auth.service;

import dev.strongroom.auth.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.TreeSet;
import java.util.UUID;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

/** Mints access tokens: iss, aud, sub, upn, groups, sid, jti, iat, exp, principal_type (see docs/auth.md). */
@ApplicationScoped
public class TokenIssuer {

    /** A signed access token and its lifetime in seconds. */
    public record AccessToken(String token, long expiresIn) {
        @Override
        public String toString() {
            return "AccessToken[expiresIn=" + expiresIn + "]";
        }
    }

    @Inject
    AuthConfig config;
    @Inject
    SigningKeys keys;

    /** {@code type}: user, service or workload (common-security's {@code principal_type}). */
    public AccessToken issue(String subject, String name, String type, Collection<String> roles, String sessionId) {
        long now = System.currentTimeMillis() / 1000;
        long ttl = config.accessTokenTtl().toSeconds();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(config.issuer());
        claims.setAudience(config.audience());
        claims.setSubject(subject);
        claims.setClaim("upn", name);
        claims.setStringListClaim("groups", new ArrayList<>(new TreeSet<>(roles)));
        claims.setClaim("sid", sessionId);
        claims.setClaim("principal_type", type);
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAt(NumericDate.fromSeconds(now));
        claims.setNotBefore(NumericDate.fromSeconds(now - 5));
        claims.setExpirationTime(NumericDate.fromSeconds(now + ttl));
        return new AccessToken(keys.sign(claims), ttl);
    }
}
