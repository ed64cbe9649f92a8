package dev.strongroom.keys.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** {@code POST /v1/keys}: a name and the algorithm (only AES256_GCM; the default). */
public record CreateKeyRequest(
        @NotNull @Pattern(regexp = KeyNames.PATTERN, message = KeyNames.MESSAGE) String name,
        @Pattern(regexp = "AES256_GCM", message = "must be AES256_GCM") String algorithm) {
}
