package dev.strongroom.auth.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

public record RefreshRequest(@NotNull @Size(max = 256) String refreshToken) {

    @Override
    public String toString() {
        return "RefreshRequest[********]";
    }
}
