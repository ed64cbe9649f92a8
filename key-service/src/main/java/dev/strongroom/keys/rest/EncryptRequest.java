package dev.strongroom.keys.rest;

import dev.strongroom.crypto.Redacted;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/** {@code encrypt}: base64 plaintext and base64 context (associated data, required). */
public record EncryptRequest(@NotNull String plaintext, @NotBlank String context) {

    @Override
    public String toString() {
        return "EncryptRequest[plaintext=" + Redacted.MASK + "]";
    }
}
