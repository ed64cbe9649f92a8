package dev.strongroom.crypto.keys;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.strongroom.crypto.Tink;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;

class VersionedKeysetTest {

    private static final byte[] CONTEXT = "secret/42/v1".getBytes(UTF_8);

    @Test
    void roundTripsAndRecordsTheVersionInTheCiphertext() throws Exception {
        VersionedKeyset key = VersionedKeyset.generate();
        byte[] ciphertext = key.encrypt("hello".getBytes(UTF_8), CONTEXT);

        assertThat(KeyCiphertext.versionOf(ciphertext)).isEqualTo(1);
        assertThat(key.decrypt(ciphertext, CONTEXT, 0)).asString(UTF_8).isEqualTo("hello");
    }

    @Test
    void wrongContextOrAnyFlippedByteFails() throws Exception {
        VersionedKeyset key = VersionedKeyset.generate();
        byte[] ciphertext = key.encrypt("hello".getBytes(UTF_8), CONTEXT);

        assertThatThrownBy(() -> key.decrypt(ciphertext, "secret/42/v2".getBytes(UTF_8), 0)).isInstanceOf(GeneralSecurityException.class);
        for (int i = 0; i < ciphertext.length; i++) {
            byte[] flipped = ciphertext.clone();
            flipped[i] ^= 0x01;
            assertThatThrownBy(() -> key.decrypt(flipped, CONTEXT, 0)).as("byte %d flipped", i).isInstanceOf(GeneralSecurityException.class);
        }
    }

    @Test
    void rotationKeepsOldVersionsDecryptingAndMinimumRefusesThem() throws Exception {
        VersionedKeyset v1 = VersionedKeyset.generate();
        byte[] old = v1.encrypt("old".getBytes(UTF_8), CONTEXT);
        VersionedKeyset v2 = v1.rotate();
        byte[] fresh = v2.encrypt("new".getBytes(UTF_8), CONTEXT);

        assertThat(v2.primaryVersion()).isEqualTo(2);
        assertThat(v2.versions()).containsExactly(1, 2);
        assertThat(KeyCiphertext.versionOf(fresh)).isEqualTo(2);
        assertThat(v2.decrypt(old, CONTEXT, 1)).asString(UTF_8).isEqualTo("old");
        assertThatThrownBy(() -> v2.decrypt(old, CONTEXT, 2))
                .isInstanceOf(VersionedKeyset.VersionRefusedException.class)
                .hasMessageContaining("below the minimum decryption version 2");
        assertThat(v2.decrypt(fresh, CONTEXT, 2)).asString(UTF_8).isEqualTo("new");
        assertThatThrownBy(() -> v1.decrypt(fresh, CONTEXT, 0)).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void sealedKeysetHoldsNoRawKeyBytesAndOpensOnlyWithRootAndOwner() throws Exception {
        Tink.init();
        Aead root = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM).getPrimitive(RegistryConfiguration.get(), Aead.class);
        VersionedKeyset key = VersionedKeyset.generate().rotate();
        byte[] sealed = key.seal(root, "payments".getBytes(UTF_8));

        KeysetHandle opened = TinkProtoKeysetFormat.parseEncryptedKeyset(sealed, root, "payments".getBytes(UTF_8));
        for (int i = 0; i < opened.size(); i++) {
            byte[] raw = ((AesGcmKey) opened.getAt(i).getKey()).getKeyBytes().toByteArray(InsecureSecretKeyAccess.get());
            assertThat(indexOf(sealed, raw)).as("raw bytes of version %d in the sealed form", i + 1).isEqualTo(-1);
        }
        byte[] ciphertext = key.encrypt("x".getBytes(UTF_8), CONTEXT);
        assertThat(VersionedKeyset.unseal(sealed, root, "payments".getBytes(UTF_8)).decrypt(ciphertext, CONTEXT, 0)).asString(UTF_8).isEqualTo("x");
        assertThatThrownBy(() -> VersionedKeyset.unseal(sealed, root, "billing".getBytes(UTF_8))).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void toStringNamesVersionsOnly() {
        assertThat(VersionedKeyset.generate().rotate()).hasToString("VersionedKeyset[primary=2, versions=[1, 2]]");
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        // ISO-8859-1 maps each byte to one char, so the string position is the byte position
        return new String(haystack, StandardCharsets.ISO_8859_1).indexOf(new String(needle, StandardCharsets.ISO_8859_1));
    }
}
