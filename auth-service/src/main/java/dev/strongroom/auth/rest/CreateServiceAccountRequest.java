package dev.strongroom.auth.rest;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;

public record CreateServiceAccountRequest(
        @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9._-]{2,63}", message = "must be 3-64 characters of a-z, 0-9, '.', '_' or '-'") String name,
        @NotEmpty List<@NotNull @Pattern(regexp = dev.strongroom.auth.Roles.PATTERN, message = "must be a role name") String> roles) {}
