package dev.strongroom.auth.rest;

import dev.strongroom.auth.KubernetesRole;
import dev.strongroom.auth.ServiceAccount;
import dev.strongroom.auth.User;
import java.time.ZoneOffset;

/** Entity → response mapping. */
final class Views {

    private Views() {}

    static UserResponse user(User u) {
        return new UserResponse(u.id, u.username, u.email, u.roleSet(), u.disabled, u.mfaEnabled(),
                u.lockedUntil == null ? null : u.lockedUntil.toInstant(ZoneOffset.UTC), u.createdAt.toInstant(ZoneOffset.UTC));
    }

    static ServiceAccountResponse serviceAccount(ServiceAccount a, String secret) {
        return new ServiceAccountResponse(a.id, a.name, a.clientId, secret, a.roleSet(), a.origin, a.createdAt.toInstant(ZoneOffset.UTC));
    }

    static KubernetesRoleResponse kubernetesRole(KubernetesRole r) {
        return new KubernetesRoleResponse(r.id, r.name, r.namespaces(), r.serviceAccounts(), r.audience, r.roleSet(),
                r.createdAt.toInstant(ZoneOffset.UTC));
    }
}
