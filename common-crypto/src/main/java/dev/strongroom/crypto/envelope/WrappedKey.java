package dev.strongroom.crypto.envelope;

/** A data key encrypted by a key-encryption key, and the KEK version that did it. */
public record WrappedKey(byte[] ciphertext, int keyVersion) {

    public WrappedKey {
        ciphertext = ciphertext.clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public String toString() {
        return "WrappedKey[version=" + keyVersion + ", bytes=" + ciphertext.length + "]";
    }
}
