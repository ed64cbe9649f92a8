package dev.strongroom.crypto;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * Holds a secret value (a password, a secret's plaintext, a key) so that it cannot leak by
 * accident: {@code toString}, JSON serialisation and logging show {@value #MASK}, never the
 * content. The content is read only through {@link #reveal()}, a call that is easy to find in review.
 */
public final class Redacted {

    public static final String MASK = "********";

    private final byte[] content;

    private Redacted(byte[] content) {
        this.content = content;
    }

    public static Redacted of(byte[] content) {
        return new Redacted(content.clone());
    }

    public static Redacted of(String content) {
        return new Redacted(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A copy of the content. */
    public byte[] reveal() {
        return content.clone();
    }

    public String revealAsString() {
        return new String(content, java.nio.charset.StandardCharsets.UTF_8);
    }

    public int length() {
        return content.length;
    }

    /** Overwrites the content; later reveals return zeros. */
    public void wipe() {
        Arrays.fill(content, (byte) 0);
    }

    @JsonValue
    @Override
    public String toString() {
        return MASK;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Redacted r && java.security.MessageDigest.isEqual(content, r.content);
    }

    @Override
    public int hashCode() {
        return 0; // content-independent: a hash must not leak anything about the value
    }
}
