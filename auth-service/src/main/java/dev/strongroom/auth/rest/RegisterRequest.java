package dev.strongroom.auth.rest;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code POST /v1/auth/register}. The password rules beyond presence are the password policy's. */
public record RegisterRequest(
        @NotNull @Pattern(regexp = "[a-zA-Z0-9._-]{3,64}", message = "must be 3-64 characters of a-z, A-Z, 0-9, '.', '_' or '-'") String username,
        @NotNull @Size(max = 1024) String password,
        @Email @Size(max = 254) String email) {

    @Override
    public String toString() {
        return "RegisterRequest[" + username + "]";
    }
}
