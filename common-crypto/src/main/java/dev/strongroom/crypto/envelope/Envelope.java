package dev.strongroom.crypto.envelope;

import dev.strongroom.crypto.DecryptionFailedException;
import dev.strongroom.crypto.keys.KeyCiphertext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The stored form of an envelope-encrypted value, format 1:
 * <pre>
 *   0      1 byte   format, 0x01
 *   1      1 byte   n: length of the KEK name (1…64)
 *   2      n bytes  KEK name, ASCII [a-zA-Z0-9._-]
 *   2+n    4 bytes  KEK version that wrapped the data key, unsigned big-endian
 *   6+n    2 bytes  m: length of the wrapped data key
 *   8+n    m bytes  wrapped data key (a key-service ciphertext; carries the same version)
 *   8+n+m  …        the value: AES-256-GCM under the data key, nonce (12) | ciphertext | tag (16)
 * </pre>
 * The value's associated data is {@code format | n | name} followed by the caller's associated data,
 * so neither the KEK name nor the caller's binding can be swapped; the wrapped key is itself
 * authenticated by the KEK with the caller's associated data, and its version must equal the
 * recorded one. Rewrapping replaces the version and wrapped key and leaves the value untouched.
 */
public record Envelope(String kekName, int kekVersion, byte[] wrappedKey, byte[] valueCiphertext) {

    public static final byte FORMAT = 0x01;
    /** KEK names: the same rule as key-service's key names. */
    public static final Pattern KEK_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,64}");

    public Envelope {
        requireKekName(kekName);
        if (kekVersion <= 0 || wrappedKey.length == 0 || wrappedKey.length > 0xFFFF) {
            throw new IllegalArgumentException("invalid KEK version or wrapped key");
        }
    }

    /** Checks a KEK name against {@link #KEK_NAME}. */
    public static String requireKekName(String kekName) {
        if (kekName == null || !KEK_NAME.matcher(kekName).matches()) {
            throw new IllegalArgumentException("a KEK name is 1-64 characters of [a-zA-Z0-9._-]");
        }
        return kekName;
    }

    public byte[] toBytes() {
        byte[] name = kekName.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(8 + name.length + wrappedKey.length + valueCiphertext.length)
                .put(FORMAT)
                .put((byte) name.length)
                .put(name)
                .putInt(kekVersion)
                .putShort((short) wrappedKey.length)
                .put(wrappedKey)
                .put(valueCiphertext)
                .array();
    }

    /** Reads an envelope; fails with {@link DecryptionFailedException} on anything that is not format 1. */
    public static Envelope parse(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            if (in.get() != FORMAT) {
                throw new DecryptionFailedException("unknown envelope format");
            }
            byte[] name = new byte[in.get() & 0xFF];
            in.get(name);
            int version = in.getInt();
            byte[] wrapped = new byte[in.getShort() & 0xFFFF];
            in.get(wrapped);
            byte[] value = new byte[in.remaining()];
            in.get(value);
            if (KeyCiphertext.versionOf(wrapped) != version) {
                throw new DecryptionFailedException("the envelope's KEK version does not match its wrapped key");
            }
            return new Envelope(new String(name, StandardCharsets.US_ASCII), version, wrapped, value);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new DecryptionFailedException("malformed envelope");
        }
    }

    /** Associated data of the value ciphertext: format, KEK name, then the caller's associated data. */
    byte[] valueAssociatedData(byte[] callerAssociatedData) {
        byte[] name = kekName.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(2 + name.length + callerAssociatedData.length)
                .put(FORMAT)
                .put((byte) name.length)
                .put(name)
                .put(callerAssociatedData)
                .array();
    }

    @Override
    public String toString() {
        return "Envelope[kek=" + kekName + ", version=" + kekVersion + ", valueBytes=" + valueCiphertext.length + "]";
    }
}
