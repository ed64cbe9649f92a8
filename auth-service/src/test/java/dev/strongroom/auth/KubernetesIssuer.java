package dev.strongroom.auth;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * A stand-in Kubernetes service-account token issuer made inside the test: its own RSA key, its JWKS
 * served over real HTTP on a free loopback port, and projected tokens shaped like the kubelet's.
 */
public class KubernetesIssuer implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "https://kubernetes.test.svc";
    private static RsaJsonWebKey key;
    private static RsaJsonWebKey foreignKey;
    private HttpServer server;

    static synchronized RsaJsonWebKey key() {
        if (key == null) {
            key = newKey();
            foreignKey = newKey();
        }
        return key;
    }

    @Override
    public Map<String, String> start() {
        try {
            String jwks = new JsonWebKeySet(key()).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/openid/v1/jwks", exchange -> {
                byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return Map.of("strongroom.auth.kubernetes.issuer", ISSUER,
                    "strongroom.auth.kubernetes.jwks-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/openid/v1/jwks");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** A projected token for the pod's service account. */
    public static String token(String namespace, String serviceAccount, String audience) {
        return sign(claims(namespace, serviceAccount, audience, ISSUER, 10), key());
    }

    public static JwtClaims claims(String namespace, String serviceAccount, String audience, String issuer, int minutes) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(List.of(audience));
        claims.setSubject("system:serviceaccount:" + namespace + ":" + serviceAccount);
        claims.setClaim("kubernetes.io", Map.of(
                "namespace", namespace,
                "serviceaccount", Map.of("name", serviceAccount, "uid", UUID.randomUUID().toString()),
                "pod", Map.of("name", serviceAccount + "-7d9f", "uid", UUID.randomUUID().toString())));
        claims.setIssuedAtToNow();
        claims.setNotBeforeMinutesInThePast(1);
        claims.setExpirationTimeMinutesInTheFuture(minutes);
        claims.setGeneratedJwtId();
        return claims;
    }

    public static String sign(JwtClaims claims, RsaJsonWebKey with) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(with.getPrivateKey());
        jws.setKeyIdHeaderValue(with.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key the cluster never published (same kid as the real one, so only the signature differs). */
    public static RsaJsonWebKey foreignKey() {
        key();
        foreignKey.setKeyId(key.getKeyId());
        return foreignKey;
    }

    private static RsaJsonWebKey newKey() {
        try {
            RsaJsonWebKey k = RsaJwkGenerator.generateJwk(2048);
            k.setKeyId("k8s-" + UUID.randomUUID().toString().substring(0, 8));
            k.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            return k;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
