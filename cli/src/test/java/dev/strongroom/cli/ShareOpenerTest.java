package dev.strongroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Share ciphertexts as docs/sharing.md specifies them, made here with the JDK's AES-GCM. */
class ShareOpenerTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void opensTheDocumentedFormat() throws Exception {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        String id = UUID.randomUUID().toString();
        String value = "pässwörd ✓";
        String ciphertext = seal(key, "strongroom-share-v1:" + id, value);
        assertThat(ShareOpener.open(key, id, ciphertext)).isEqualTo(value);
    }

    @Test
    void anotherSharesIdOrAnotherKeyOrAFlippedBitDoNotOpen() throws Exception {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        String id = UUID.randomUUID().toString();
        String ciphertext = seal(key, "strongroom-share-v1:" + id, "v");
        assertThatThrownBy(() -> ShareOpener.open(key, UUID.randomUUID().toString(), ciphertext)).hasMessageContaining("does not open");
        byte[] other = key.clone();
        other[0] ^= 1;
        assertThatThrownBy(() -> ShareOpener.open(other, id, ciphertext)).hasMessageContaining("does not open");
        byte[] raw = Base64.getDecoder().decode(ciphertext);
        raw[raw.length - 1] ^= 1;
        assertThatThrownBy(() -> ShareOpener.open(key, id, Base64.getEncoder().encodeToString(raw))).hasMessageContaining("does not open");
    }

    @Test
    void aLinkGivesItsOpenEndpointTokenAndKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        String fragment = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
        String token = "AbC_dEf-0123456789abcdefghijklmnopqrstuvwxy";
        ShareOpener.Link link = ShareOpener.parse("https://share.example.com:8443/s/" + token + "#" + fragment);
        assertThat(link.base()).hasToString("https://share.example.com:8443");
        assertThat(link.token()).isEqualTo(token);
        assertThat(link.key()).isEqualTo(key);
        assertThat(link.toString()).doesNotContain(fragment).doesNotContain(token);
    }

    @Test
    void aLinkWithoutItsKeyIsRefusedBeforeAnyViewIsSpent() {
        assertThatThrownBy(() -> ShareOpener.parse("https://x.example/s/AbCdEfGhIjKlMnOpQrStUv")).hasMessageContaining("no valid key");
        assertThatThrownBy(() -> ShareOpener.parse("https://x.example/s/AbCdEfGhIjKlMnOpQrStUv#short")).hasMessageContaining("no valid key");
        assertThatThrownBy(() -> ShareOpener.parse("not a link")).hasMessageContaining("not a share link");
    }

    private static String seal(byte[] key, String associatedData, String value) throws Exception {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
        byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
        byte[] out = new byte[12 + sealed.length];
        System.arraycopy(nonce, 0, out, 0, 12);
        System.arraycopy(sealed, 0, out, 12, sealed.length);
        return Base64.getEncoder().encodeToString(out);
    }
}
