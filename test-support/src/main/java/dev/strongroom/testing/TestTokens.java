package dev.strongroom.testing;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * Access tokens for tests, shaped like auth-service's (iss, aud, sub, upn, groups, sid, jti, exp,
 * principal_type) and signed with an RSA key made once per JVM. {@link JwtTestResource} points the
 * app under test at this key's JWKS, served over HTTP ({@link #jwksUrl()}). Use {@link #builder()}
 * for expired, foreign or odd tokens.
 */
public final class TestTokens {

    public static final String ISSUER = "strongroom-test";
    public static final String AUDIENCE = "strongroom";

    private static RsaJsonWebKey key;
    private static LocalIssuer server;
    /** A private monitor: no outside code can hold it (find-sec-bugs USO_UNSAFE_STATIC_METHOD_SYNCHRONIZATION). */
    private static final Object LOCK = new Object();

    private TestTokens() {}

    /** {@code "Bearer <token>"} for a user with these roles. */
    public static String bearer(String user, String... roles) {
        return "Bearer " + token(user, roles);
    }

    public static String token(String user, String... roles) {
        return builder().name(user).roles(roles).sign();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The signing key; its public half is served at {@link #jwksUrl()}. */
    public static RsaJsonWebKey key() {
        synchronized (LOCK) {
            if (key == null) {
                try {
                    key = RsaJwkGenerator.generateJwk(2048);
                    key.setKeyId("test-" + UUID.randomUUID());
                    key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
                    key.setUse("sig");
                } catch (JoseException e) {
                    throw new IllegalStateException(e);
                }
            }
            return key;
        }
    }

    /**
     * The URL of a JWKS with the public key, served for the rest of the JVM from a free loopback port:
     * what {@code strongroom.auth.jwks-url} must name (quarkus-oidc fetches keys over HTTP only).
     */
    public static String jwksUrl() {
        synchronized (LOCK) {
            if (server == null) {
                server = LocalIssuer.start("strongroom-test", ISSUER, key());
            }
            return server.jwksUrl();
        }
    }

    /** How often the app under test fetched {@link #jwksUrl()}. */
    public static int jwksRequests() {
        synchronized (LOCK) {
            return server == null ? 0 : server.jwksRequests();
        }
    }

    public static final class Builder {
        private String name = "alice";
        private String subject;
        private List<String> roles = List.of("user");
        private String type = "user";
        private String sessionId = UUID.randomUUID().toString();
        private String issuer = ISSUER;
        private String audience = AUDIENCE;
        private Duration expiresIn = Duration.ofMinutes(15);

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Builder roles(String... roles) {
            this.roles = List.of(roles);
            return this;
        }

        /** user, service or workload. */
        public Builder type(String type) {
            this.type = type;
            return this;
        }

        public Builder sessionId(String sessionId) {
            this.sessionId = sessionId;
            return this;
        }

        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        /** Negative for a token that has already expired. */
        public Builder expiresIn(Duration expiresIn) {
            this.expiresIn = expiresIn;
            return this;
        }

        public JwtClaims claims() {
            JwtClaims claims = new JwtClaims();
            claims.setIssuer(issuer);
            claims.setAudience(audience);
            claims.setSubject(subject != null ? subject : "id-" + name);
            claims.setClaim("upn", name);
            claims.setStringListClaim("groups", roles);
            claims.setClaim("principal_type", type);
            if (sessionId != null) {
                claims.setClaim("sid", sessionId);
            }
            claims.setGeneratedJwtId();
            claims.setIssuedAtToNow();
            claims.setExpirationTimeMinutesInTheFuture(expiresIn.toSeconds() / 60f);
            return claims;
        }

        public String sign() {
            return sign(claims());
        }

        public static String sign(JwtClaims claims) {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(key().getPrivateKey());
            jws.setKeyIdHeaderValue(key().getKeyId());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            try {
                return jws.getCompactSerialization();
            } catch (JoseException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
