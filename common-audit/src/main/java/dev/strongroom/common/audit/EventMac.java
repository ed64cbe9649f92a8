package dev.strongroom.common.audit;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The proof that an audit record comes from one of our services: each producing service holds its
 * own key ({@code strongroom.audit.signing.key}); its relay sends HMAC-SHA256(key, the record's value
 * bytes) in the Kafka header {@value #HEADER}, and audit-service checks it with that service's key,
 * chosen by the event's {@code source} (docs/audit.md, "Signed events"). Also used by audit-service
 * for the MAC of its chain heads. Holds one {@link Mac}: one instance per thread.
 */
public final class EventMac {

    /** Kafka header carrying the 32 bytes of HMAC-SHA256 over the record value. */
    public static final String HEADER = "strongroom-signature";
    /** Shortest key accepted: the length of the MAC. */
    public static final int MIN_KEY_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";

    private final Mac mac;

    public EventMac(SecretKey key) {
        try {
            mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }

    /**
     * A configured key: base64 of at least {@value #MIN_KEY_BYTES} random bytes (e.g.
     * {@code head -c 32 /dev/urandom | base64}). A refusal names the property, never the value.
     */
    public static SecretKey key(String base64, String property) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + " is not base64");
        }
        if (bytes.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(property + " must be at least " + MIN_KEY_BYTES + " bytes (base64 of random bytes)");
        }
        return new SecretKeySpec(bytes, ALGORITHM);
    }

    /** HMAC-SHA256 of {@code value}. */
    public byte[] sign(byte[] value) {
        return mac.doFinal(value);
    }

    /** HMAC-SHA256 of several parts in order (callers give fixed-length parts or length prefixes). */
    public byte[] sign(byte[]... parts) {
        for (byte[] part : parts) {
            mac.update(part);
        }
        return mac.doFinal();
    }

    /** Whether {@code signature} is the MAC of {@code value}, compared in constant time. */
    public boolean verifies(byte[] value, byte[] signature) {
        return signature != null && MessageDigest.isEqual(sign(value), signature);
    }
}
