package dev.strongroom.auth.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** A TOTP code (or, to disable MFA, a recovery code). */
public record CodeRequest(@NotBlank @Size(max = 64) String code) {

    @Override
    public String toString() {
        return "CodeRequest[********]";
    }
}
