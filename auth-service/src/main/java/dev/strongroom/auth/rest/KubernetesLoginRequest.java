package dev.strongroom.auth.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** {@code POST /v1/auth/kubernetes/login}: the role to log in under and the pod's projected service-account token. */
public record KubernetesLoginRequest(@NotBlank @Size(max = 64) String role, @NotBlank @Size(max = 16384) String jwt) {

    @Override
    public String toString() {
        return "KubernetesLoginRequest[" + role + "]";
    }
}
