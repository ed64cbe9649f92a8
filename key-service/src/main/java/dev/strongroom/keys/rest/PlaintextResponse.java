package dev.strongroom.keys.rest;

import dev.strongroom.crypto.Redacted;

/** The answer of decrypt: base64 plaintext. */
public record PlaintextResponse(String plaintext) {

    @Override
    public String toString() {
        return "PlaintextResponse[plaintext=" + Redacted.MASK + "]";
    }
}
