package dev.strongroom.crypto.share;

import com.google.crypto.tink.subtle.AesGcmJce;
import dev.strongroom.crypto.DecryptionFailedException;
import dev.strongroom.crypto.Tokens;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.UUID;

/**
 * The encryption of a share link's value (docs/sharing.md, "Ciphertext format"), chosen so that a browser's
 * WebCrypto and the CLI open it with nothing but the key from the link's fragment:
 * <ul>
 *   <li>AES-256-GCM (Tink's raw {@code AesGcmJce}: no key-id prefix) with a fresh random 256-bit key per share;</li>
 *   <li>ciphertext bytes = 12-byte random nonce || encrypted value || 16-byte tag;</li>
 *   <li>associated data = UTF-8 of {@code strongroom-share-v1:<share id>} (the id in lowercase canonical UUID form),
 *       so a ciphertext copied onto another share does not open;</li>
 *   <li>plaintext = the secret value's UTF-8 bytes;</li>
 *   <li>the key travels as base64url without padding (43 characters); the ciphertext as standard base64.</li>
 * </ul>
 */
public final class ShareCipher {

    /** Key length: 256 bits. */
    public static final int KEY_BYTES = 32;
    /** Nonce length, at the start of every ciphertext. */
    public static final int NONCE_BYTES = 12;
    /** GCM tag length, at the end of every ciphertext. */
    public static final int TAG_BYTES = 16;
    /** Prefix of the associated data; the share id follows. */
    public static final String AD_PREFIX = "strongroom-share-v1:";

    private static final Base64.Encoder KEY_ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder KEY_DECODER = Base64.getUrlDecoder();

    private ShareCipher() {}

    /** A fresh random key. */
    public static byte[] newKey() {
        return Tokens.randomBytes(KEY_BYTES);
    }

    /** The key as it appears in the link's fragment. */
    public static String encodeKey(byte[] key) {
        return KEY_ENCODER.encodeToString(key);
    }

    /** The key of a fragment, or null when it is not 32 bytes of base64url (padding tolerated). */
    public static byte[] decodeKey(String encoded) {
        if (encoded == null || encoded.length() < 43 || encoded.length() > 44) {
            return null;
        }
        try {
            byte[] key = KEY_DECODER.decode(encoded.endsWith("=") ? encoded.substring(0, encoded.length() - 1) : encoded);
            return key.length == KEY_BYTES ? key : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The associated data binding a ciphertext to its share. */
    public static byte[] associatedData(UUID shareId) {
        return (AD_PREFIX + shareId.toString()).getBytes(StandardCharsets.UTF_8);
    }

    /** Encrypts the value for the share: nonce || ciphertext || tag. */
    public static byte[] seal(byte[] key, UUID shareId, byte[] value) {
        try {
            return new AesGcmJce(key).encrypt(value, associatedData(shareId));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /** Decrypts a share's ciphertext; fails for a wrong key, another share's ciphertext or a modified one. */
    public static byte[] open(byte[] key, UUID shareId, byte[] ciphertext) {
        if (key == null || key.length != KEY_BYTES) {
            throw new DecryptionFailedException("not a share key");
        }
        try {
            return new AesGcmJce(key).decrypt(ciphertext, associatedData(shareId));
        } catch (GeneralSecurityException e) {
            throw new DecryptionFailedException("the share ciphertext does not open with this key");
        }
    }
}
