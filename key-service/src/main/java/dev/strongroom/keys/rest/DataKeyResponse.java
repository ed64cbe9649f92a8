package dev.strongroom.keys.rest;

import dev.strongroom.crypto.Redacted;

/** A fresh data key: base64 plaintext (for the caller only), its base64 ciphertext, and the key version. */
public record DataKeyResponse(String plaintext, String ciphertext, int keyVersion) {

    @Override
    public String toString() {
        return "DataKeyResponse[plaintext=" + Redacted.MASK + ", keyVersion=" + keyVersion + "]";
    }
}
