package dev.strongroom.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * A token issuer made inside a test: its own RSA keys, published as a JWKS (and an OpenID discovery
 * document) over real HTTP on a free loopback port, laid out like a Keycloak realm:
 * {@code <url>/.well-known/openid-configuration} and {@code <url>/protocol/openid-connect/certs}.
 * {@link #rotate()} publishes a new key and signs with it from then on.
 */
public final class LocalIssuer implements AutoCloseable {

    private static final String JWKS_PATH = "/protocol/openid-connect/certs";

    private final HttpServer server;
    private final String url;
    private final String issuer;
    private final List<RsaJsonWebKey> keys = new ArrayList<>();
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private volatile RsaJsonWebKey signing;

    private LocalIssuer(String realm, String issuer, RsaJsonWebKey key, int port) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String path = "/realms/" + realm;
        this.url = "http://127.0.0.1:" + server.getAddress().getPort() + path;
        this.issuer = issuer != null ? issuer : url;
        publish(key);
        server.createContext(path + JWKS_PATH, exchange -> {
            jwksRequests.incrementAndGet();
            respond(exchange, jwks());
        });
        server.createContext(path + "/.well-known/openid-configuration", exchange -> respond(exchange,
                "{\"issuer\":\"" + this.issuer + "\",\"jwks_uri\":\"" + jwksUrl() + "\","
                        + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}"));
        server.start();
    }

    /** An issuer whose {@code iss} is its URL, like a Keycloak realm. */
    public static LocalIssuer start(String realm) {
        return new LocalIssuer(realm, null, newKey(), 0);
    }

    /** An issuer with a fixed {@code iss} and signing key. */
    public static LocalIssuer start(String realm, String issuer, RsaJsonWebKey key) {
        return new LocalIssuer(realm, issuer, key, 0);
    }

    /** An issuer on a given port (0: any free one), e.g. one a service was told about before it existed. */
    public static LocalIssuer start(String realm, String issuer, RsaJsonWebKey key, int port) {
        return new LocalIssuer(realm, issuer, key, port);
    }

    /** The JWKS URL an issuer of this realm would have on this port. */
    public static String jwksUrl(int port, String realm) {
        return "http://127.0.0.1:" + port + "/realms/" + realm + JWKS_PATH;
    }

    /** A loopback port free right now. */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL: what {@code quarkus.oidc.<tenant>.auth-server-url} names. */
    public String url() {
        return url;
    }

    public String issuer() {
        return issuer;
    }

    public String jwksUrl() {
        return url + JWKS_PATH;
    }

    /** How often the JWKS was fetched. */
    public int jwksRequests() {
        return jwksRequests.get();
    }

    /** The key tokens are signed with now. */
    public RsaJsonWebKey signingKey() {
        return signing;
    }

    /** Publishes a new key and signs with it from now on; older keys stay published. */
    public RsaJsonWebKey rotate() {
        RsaJsonWebKey key = newKey();
        publish(key);
        return key;
    }

    /** Claims with this issuer, the audience, subject, a 5-minute lifetime and a jti. */
    public JwtClaims claims(String subject, String audience) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setSubject(subject);
        claims.setGeneratedJwtId();
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(5);
        return claims;
    }

    /** RS256 with the current key, its kid in the header. */
    public String sign(JwtClaims claims) {
        return sign(claims, signing);
    }

    public static String sign(JwtClaims claims, RsaJsonWebKey key) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setHeader("typ", "JWT");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh 2048-bit RSA key with a random kid, published nowhere. */
    public static RsaJsonWebKey newKey() {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId("k-" + UUID.randomUUID());
            key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            key.setUse("sig");
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private synchronized void publish(RsaJsonWebKey key) {
        keys.add(key);
        signing = key;
    }

    private synchronized String jwks() {
        return new JsonWebKeySet(keys).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    private static void respond(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
