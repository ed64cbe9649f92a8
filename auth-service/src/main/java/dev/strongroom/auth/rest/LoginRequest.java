package dev.strongroom.auth.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** {@code POST /v1/auth/login}; {@code totp} is a 6-digit code or a recovery code. */
public record LoginRequest(@NotNull @Size(max = 64) String username, @NotNull @Size(max = 1024) String password,
        @Size(max = 64) String totp) {

    @Override
    public String toString() {
        return "LoginRequest[" + username + "]";
    }
}
