package dev.strongroom.crypto.keys;

import java.nio.ByteBuffer;

/**
 * The ciphertext format of key-encryption keys (what key-service's encrypt, rewrap and datakey return):
 * <pre>
 *   0   1 byte   format, 0x01
 *   1   4 bytes  key version, unsigned big-endian
 *   5   …        AES-256-GCM: nonce (12) | ciphertext | tag (16)
 * </pre>
 * The first 5 bytes are part of the associated data, so the version cannot be altered.
 */
public final class KeyCiphertext {

    public static final byte FORMAT = 0x01;
    public static final int HEADER_BYTES = 5;
    private static final int MIN_BYTES = HEADER_BYTES + 12 + 16;

    private KeyCiphertext() {}

    /** The key version a ciphertext was made with, or -1 when the bytes are not in this format. */
    public static int versionOf(byte[] ciphertext) {
        if (ciphertext == null || ciphertext.length < MIN_BYTES || ciphertext[0] != FORMAT) {
            return -1;
        }
        int version = ByteBuffer.wrap(ciphertext, 1, 4).getInt();
        return version > 0 ? version : -1;
    }

    static byte[] header(int version) {
        return ByteBuffer.allocate(HEADER_BYTES).put(FORMAT).putInt(version).array();
    }

    /** Associated data of the inner AEAD: the header followed by the caller's context. */
    static byte[] associatedData(byte[] header, byte[] context) {
        byte[] ad = new byte[header.length + context.length];
        System.arraycopy(header, 0, ad, 0, header.length);
        System.arraycopy(context, 0, ad, header.length, context.length);
        return ad;
    }
}
