package dev.strongroom.crypto.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strongroom.crypto.DecryptionFailedException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The share-link format of docs/sharing.md, checked against the JDK's own AES-GCM (what WebCrypto does). */
class ShareCipherTest {

    @Test
    void theDocumentedFormatOpensWithPlainAesGcm() throws Exception {
        byte[] key = ShareCipher.newKey();
        UUID id = UUID.randomUUID();
        byte[] sealed = ShareCipher.seal(key, id, "the value ✓".getBytes(StandardCharsets.UTF_8));
        assertThat(sealed).hasSize(12 + "the value ✓".getBytes(StandardCharsets.UTF_8).length + 16);

        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, Arrays.copyOf(sealed, 12)));
        gcm.updateAAD(("strongroom-share-v1:" + id).getBytes(StandardCharsets.UTF_8));
        byte[] plain = gcm.doFinal(sealed, 12, sealed.length - 12);
        assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo("the value ✓");
        assertThat(new String(ShareCipher.open(key, id, sealed), StandardCharsets.UTF_8)).isEqualTo("the value ✓");
    }

    @Test
    void anotherShareIdAKeyOrATamperedByteFails() {
        byte[] key = ShareCipher.newKey();
        UUID id = UUID.randomUUID();
        byte[] sealed = ShareCipher.seal(key, id, "v".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ShareCipher.open(key, UUID.randomUUID(), sealed)).isInstanceOf(DecryptionFailedException.class);
        assertThatThrownBy(() -> ShareCipher.open(ShareCipher.newKey(), id, sealed)).isInstanceOf(DecryptionFailedException.class);
        byte[] tampered = sealed.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> ShareCipher.open(key, id, tampered)).isInstanceOf(DecryptionFailedException.class);
        assertThat(ShareCipher.seal(key, id, new byte[] {1})).isNotEqualTo(ShareCipher.seal(key, id, new byte[] {1}));
    }

    @Test
    void keysTravelAsUnpaddedBase64Url() {
        byte[] key = ShareCipher.newKey();
        String encoded = ShareCipher.encodeKey(key);
        assertThat(encoded).hasSize(43).matches("[A-Za-z0-9_-]{43}");
        assertThat(ShareCipher.decodeKey(encoded)).isEqualTo(key);
        assertThat(ShareCipher.decodeKey(encoded + "=")).isEqualTo(key);
        assertThat(ShareCipher.decodeKey(Base64.getEncoder().encodeToString(new byte[16]))).isNull();
        assertThat(ShareCipher.decodeKey("not a key at all, not a key at all, not a k")).isNull();
        assertThat(ShareCipher.decodeKey(null)).isNull();
    }
}
