package dev.strongroom.crypto.envelope;

import dev.strongroom.crypto.DecryptionFailedException;
import dev.strongroom.crypto.keys.KeyCiphertext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The stored form of an envelope-encrypted value. Two formats share one layout:
 * <pre>
 *   0      1 byte   format: 0x01 (a data key of its own) or 0x02 (a shared data key)
 *   1      1 byte   n: length of the KEK name (1…64)
 *   2      n bytes  KEK name, ASCII [a-zA-Z0-9._-]
 *   2+n    4 bytes  KEK version that wrapped the data key, unsigned big-endian
 *   6+n    2 bytes  m: length of the wrapped data key
 *   8+n    m bytes  wrapped data key (a key-service ciphertext; carries the same version)
 *   8+n+m  …        the value: AES-256-GCM under the data key, nonce (12) | ciphertext | tag (16)
 * </pre>
 * The value's associated data is {@code format | n | name} followed by the caller's associated data,
 * so neither the format, the KEK name nor the caller's binding can be swapped. In format 1 the wrapped
 * key is authenticated by the KEK with the caller's associated data too; in format 2 the data key
 * seals many values (see {@link DataKeyReuse}), so it is wrapped with {@link #sharedKeyAssociatedData}
 * and the value's own associated data carries the binding. The wrapped key's version must equal the
 * recorded one. Rewrapping replaces the version and wrapped key and leaves the value untouched.
 */
public record Envelope(byte format, String kekName, int kekVersion, byte[] wrappedKey, byte[] valueCiphertext) {

    /** Format 1: the data key seals this value only. */
    public static final byte FORMAT = 0x01;
    /** Format 2: the data key is shared by the values sealed during one reuse window. */
    public static final byte FORMAT_SHARED_KEY = 0x02;
    /** KEK names: the same rule as key-service's key names. */
    public static final Pattern KEK_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,64}");
    private static final byte[] SHARED_KEY_DOMAIN = "strongroom/shared-data-key/v1".getBytes(StandardCharsets.US_ASCII);

    public Envelope {
        if (format != FORMAT && format != FORMAT_SHARED_KEY) {
            throw new IllegalArgumentException("unknown envelope format");
        }
        requireKekName(kekName);
        if (kekVersion <= 0 || wrappedKey.length == 0 || wrappedKey.length > 0xFFFF) {
            throw new IllegalArgumentException("invalid KEK version or wrapped key");
        }
    }

    /** Whether {@code bytes} start like an envelope of a known format (a cheap check, not a parse). */
    public static boolean hasEnvelopeFormat(byte[] bytes) {
        return bytes != null && bytes.length > 0 && (bytes[0] == FORMAT || bytes[0] == FORMAT_SHARED_KEY);
    }

    /** The associated data a shared data key is wrapped with: domain, 0, KEK name. */
    public static byte[] sharedKeyAssociatedData(String kekName) {
        byte[] name = requireKekName(kekName).getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(SHARED_KEY_DOMAIN.length + 1 + name.length)
                .put(SHARED_KEY_DOMAIN)
                .put((byte) 0)
                .put(name)
                .array();
    }

    /** What the wrapped key was wrapped with: the caller's associated data (format 1) or the shared one. */
    byte[] wrapAssociatedData(byte[] callerAssociatedData) {
        return format == FORMAT ? callerAssociatedData : sharedKeyAssociatedData(kekName);
    }

    /** The same envelope with another wrapping of its data key (after a rewrap). */
    Envelope withWrappedKey(WrappedKey wrapped) {
        return new Envelope(format, kekName, wrapped.keyVersion(), wrapped.ciphertext(), valueCiphertext);
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
                .put(format)
                .put((byte) name.length)
                .put(name)
                .putInt(kekVersion)
                .putShort((short) wrappedKey.length)
                .put(wrappedKey)
                .put(valueCiphertext)
                .array();
    }

    /** Reads an envelope; fails with {@link DecryptionFailedException} on anything that is not format 1 or 2. */
    public static Envelope parse(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte format = in.get();
            if (format != FORMAT && format != FORMAT_SHARED_KEY) {
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
            return new Envelope(format, new String(name, StandardCharsets.US_ASCII), version, wrapped, value);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new DecryptionFailedException("malformed envelope");
        }
    }

    /** Associated data of the value ciphertext: format, KEK name, then the caller's associated data. */
    byte[] valueAssociatedData(byte[] callerAssociatedData) {
        byte[] name = kekName.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(2 + name.length + callerAssociatedData.length)
                .put(format)
                .put((byte) name.length)
                .put(name)
                .put(callerAssociatedData)
                .array();
    }

    @Override
    public String toString() {
        return "Envelope[format=" + format + ", kek=" + kekName + ", version=" + kekVersion + ", valueBytes=" + valueCiphertext.length + "]";
    }
}
