package dev.strongroom.auth.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several keys at once: all published, one signs; a key added for rotation verifies before it signs. */
class SigningKeysTest {

    @TempDir
    Path dir;

    @Test
    void publishesEveryKeyAndSignsWithTheActiveOne() throws Exception {
        Path generated = dir.resolve("keys.json");
        SigningKeys.generate(generated);
        Path pem = dir.resolve("next.pem");
        var pair = KeyPairGenerator.getInstance("RSA");
        pair.initialize(2048);
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");

        List<RsaJsonWebKey> keys = new java.util.ArrayList<>(SigningKeys.read(generated));
        keys.addAll(SigningKeys.read(pem));
        SigningKeys oldActive = new SigningKeys(keys, null);
        SigningKeys newActive = new SigningKeys(keys, keys.get(1).getKeyId());

        JsonWebKeySet published = new JsonWebKeySet(oldActive.publicJwks());
        assertThat(published.getJsonWebKeys()).hasSize(2);
        assertThat(oldActive.publicJwks()).doesNotContain("\"d\"").doesNotContain("\"p\"");
        assertThat(oldActive.activeKid()).isEqualTo(keys.get(0).getKeyId());
        assertThat(newActive.activeKid()).isEqualTo(keys.get(1).getKeyId());

        JwtClaims claims = new JwtClaims();
        claims.setSubject("x");
        String token = newActive.sign(claims);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token);
        assertThat(jws.getKeyIdHeaderValue()).isEqualTo(keys.get(1).getKeyId());
        // Verifiable with the JWKS every other service fetches.
        jws.setKey(published.findJsonWebKey(jws.getKeyIdHeaderValue(), "RSA", "sig", "RS256").getKey());
        assertThat(jws.verifySignature()).isTrue();
        assertThat(Files.getPosixFilePermissions(generated).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
    }

    @Test
    void refusesAnActiveKidThatIsNotLoaded() {
        Path generated = dir.resolve("keys.json");
        SigningKeys.generate(generated);
        assertThatThrownBy(() -> new SigningKeys(SigningKeys.read(generated), "nope")).hasMessageContaining("nope");
    }
}
