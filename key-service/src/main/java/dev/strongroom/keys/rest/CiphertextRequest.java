package dev.strongroom.keys.rest;

import jakarta.validation.constraints.NotBlank;

/** {@code decrypt} and {@code rewrap}: base64 ciphertext and the base64 context it was made with. */
public record CiphertextRequest(@NotBlank String ciphertext, @NotBlank String context) {}
