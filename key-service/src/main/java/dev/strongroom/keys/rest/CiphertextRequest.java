package dev.strongroom.keys.rest;

import jakarta.validation.constraints.NotBlank;

/**
 * {@code decrypt} and {@code rewrap}: base64 ciphertext and the base64 context it was made with. An absent
 * context is the empty one, as for {@code datakey}, so a data key made without a context opens without one.
 */
public record CiphertextRequest(@NotBlank String ciphertext, String context) {}
