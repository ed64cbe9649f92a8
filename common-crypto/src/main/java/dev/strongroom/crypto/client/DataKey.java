package dev.strongroom.crypto.client;

import dev.strongroom.crypto.Redacted;

/** A fresh data key from key-service: its plaintext (redacted), and its ciphertext under the key's primary version. */
public record DataKey(Redacted plaintext, byte[] ciphertext, int keyVersion) {

    @Override
    public String toString() {
        return "DataKey[version=" + keyVersion + ", plaintext=" + Redacted.MASK + "]";
    }
}
