package dev.strongroom.auth.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** A Kubernetes role: which namespaces and service accounts ({@code *} = any) with which token audience get which roles. */
public record KubernetesRoleRequest(
        @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9._-]{0,63}", message = "must be 1-64 characters of a-z, 0-9, '.', '_' or '-'") String name,
        @NotEmpty @Size(max = 50) List<@NotNull @Pattern(regexp = "\\*|[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?", message = "must be a namespace name or *") String> boundNamespaces,
        @NotEmpty @Size(max = 50) List<@NotNull @Pattern(regexp = "\\*|[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?", message = "must be a service account name or *") String> boundServiceAccounts,
        @NotBlank @Size(max = 255) String audience,
        @NotEmpty List<@NotNull @Pattern(regexp = dev.strongroom.auth.Roles.PATTERN, message = "must be a role name") String> roles) {}
