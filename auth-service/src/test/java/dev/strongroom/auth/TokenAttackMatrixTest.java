package dev.strongroom.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JWT attack matrix against a protected endpoint: every forged or stale token is a plain 401. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KubernetesIssuer.class)
class TokenAttackMatrixTest {

    private static final String PROTECTED = "/v1/auth/me";
    private static String valid;

    @BeforeEach
    void login() {
        if (valid != null) {
            return;
        }
        String name = Api.uniqueName("victim");
        Api.register(name);
        valid = Api.tokens(name)[0];
    }

    @Test
    void aValidTokenPasses() {
        given().auth().oauth2(valid).get(PROTECTED).then().statusCode(200);
    }

    @Test
    void noToken() {
        refused(given().get(PROTECTED));
    }

    @Test
    void garbage() {
        refused(given().auth().oauth2("garbage.garbage.garbage").get(PROTECTED));
    }

    @Test
    void algNone() {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        refused(given().auth().oauth2(header + "." + valid.split("\\.")[1] + ".").get(PROTECTED));
    }

    @Test
    void tamperedPayload() {
        String[] parts = valid.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("[\"user\"]", "[\"admin\"]");
        refused(given().auth().oauth2(parts[0] + "." + b64(payload) + "." + parts[2]).get(PROTECTED));
    }

    @Test
    void hs256ResignedWithThePublicKey() throws Exception {
        RsaJsonWebKey key = Jwts.serviceKey();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claimsOf(valid).toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKeyIdHeaderValue(key.getKeyId());
        byte[] publicKey = key.getRsaPublicKey().getEncoded();
        jws.setKey(new HmacKey(publicKey));
        jws.setDoKeyValidation(false);
        refused(given().auth().oauth2(jws.getCompactSerialization()).get(PROTECTED));
        // The PEM text as the secret, the other classic variant.
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(publicKey) + "\n-----END PUBLIC KEY-----\n";
        jws.setKey(new SecretKeySpec(pem.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
        refused(given().auth().oauth2(jws.getCompactSerialization()).get(PROTECTED));
    }

    @Test
    void expired() throws Exception {
        JwtClaims claims = claimsOf(valid);
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(-10);
        refused(given().auth().oauth2(signWithServiceKey(claims)).get(PROTECTED));
    }

    @Test
    void wrongIssuer() throws Exception {
        JwtClaims claims = claimsOf(valid);
        claims.setIssuer("https://evil.example");
        refused(given().auth().oauth2(signWithServiceKey(claims)).get(PROTECTED));
    }

    @Test
    void wrongAudience() throws Exception {
        JwtClaims claims = claimsOf(valid);
        claims.setAudience("someone-else");
        refused(given().auth().oauth2(signWithServiceKey(claims)).get(PROTECTED));
    }

    @Test
    void unknownKid() throws Exception {
        RsaJsonWebKey stranger = RsaJwkGenerator.generateJwk(2048);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claimsOf(valid).toJson());
        jws.setKey(stranger.getPrivateKey());
        jws.setKeyIdHeaderValue("unknown-" + UUID.randomUUID());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        refused(given().auth().oauth2(jws.getCompactSerialization()).get(PROTECTED));
    }

    @Test
    void controlTheServiceKeyItselfStillSignsAcceptedTokens() throws Exception {
        given().auth().oauth2(signWithServiceKey(claimsOf(valid))).get(PROTECTED).then().statusCode(200);
    }

    private static void refused(io.restassured.response.Response response) {
        response.then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("status", equalTo(401));
    }

    private static JwtClaims claimsOf(String jwt) throws Exception {
        return JwtClaims.parse(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    private static String signWithServiceKey(JwtClaims claims) throws Exception {
        RsaJsonWebKey key = Jwts.serviceKey();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
