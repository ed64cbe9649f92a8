package dev.strongroom.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.subtle.AesGcmJce;
import com.google.crypto.tink.util.SecretBytes;
import java.security.GeneralSecurityException;

/**
 * Data keys: fresh 256-bit AES-GCM keys, one per encrypted value, used through Tink's AES-GCM.
 * A ciphertext is {@code nonce (12) | ciphertext | tag (16)}, no key-id prefix: the envelope says which key.
 */
public final class DataKeys {

    /** Bytes in a data key: AES-256. */
    public static final int KEY_BYTES = 32;
    /** Bytes a data-key ciphertext adds to its plaintext: nonce and tag. */
    public static final int OVERHEAD_BYTES = 12 + 16;

    public static final AesGcmParameters PARAMETERS;

    static {
        try {
            PARAMETERS = AesGcmParameters.builder()
                    .setKeySizeBytes(KEY_BYTES)
                    .setIvSizeBytes(12)
                    .setTagSizeBytes(16)
                    .setVariant(AesGcmParameters.Variant.NO_PREFIX)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private DataKeys() {}

    /** A fresh random data key; wipe it once it is wrapped and its primitive made. */
    public static byte[] generate() {
        return Tokens.randomBytes(KEY_BYTES);
    }

    /** The AES-256-GCM primitive of a raw data key (the array may be wiped afterwards). */
    public static Aead aead(byte[] rawKey) throws GeneralSecurityException {
        if (rawKey.length != KEY_BYTES) {
            throw new GeneralSecurityException("a data key has " + KEY_BYTES + " bytes");
        }
        AesGcmKey key = AesGcmKey.builder()
                .setParameters(PARAMETERS)
                .setKeyBytes(SecretBytes.copyFrom(rawKey, InsecureSecretKeyAccess.get()))
                .build();
        return AesGcmJce.create(key);
    }
}
