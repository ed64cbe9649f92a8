package dev.strongroom.auth.service;

import dev.strongroom.auth.Roles;
import dev.strongroom.auth.User;
import dev.strongroom.auth.repository.UserRepository;
import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.audit.AuditOutbox;
import dev.strongroom.common.problem.Problems;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Admin actions on accounts: list, change roles, disable, unlock. Role changes and disabling revoke sessions. */
@ApplicationScoped
public class UserAdminService {

    @Inject
    UserRepository users;
    @Inject
    AuditOutbox audit;
    @Inject
    SessionRevoker revoker;

    public Uni<List<User>> list(String afterId, int limit) {
        return Panache.withSession(() -> users.listAfter(afterId, limit));
    }

    public Uni<User> update(String id, Set<String> roles, Boolean disabled) {
        if (roles != null && (roles.isEmpty() || !Roles.PERSON_ROLES.containsAll(roles))) {
            return Uni.createFrom().failure(Problems.ValidationFailed.of("roles", "must be a non-empty subset of " + Roles.PERSON_ROLES));
        }
        return Panache.withTransaction(() -> users.findByIdForUpdate(id)
                        .onItem().ifNull().failWith(() -> new Problems.NotFound("No such user."))
                        .chain(user -> apply(user, roles, disabled)))
                .invoke(attempt -> revoker.committed(attempt.revoked()))
                .map(Attempt::orThrow);
    }

    private Uni<Attempt<User>> apply(User user, Set<String> roles, Boolean disabled) {
        List<String> changed = new ArrayList<>();
        if (roles != null && !roles.equals(user.roleSet())) {
            user.roles = Roles.format(roles);
            changed.add("roles");
        }
        if (disabled != null && disabled != user.disabled) {
            user.disabled = disabled;
            changed.add("disabled");
        }
        if (changed.isEmpty()) {
            return Uni.createFrom().item(Attempt.ok(user));
        }
        user.updatedAt = Times.now();
        AuditEvent.Builder event = Audits.about("user.updated", user)
                .actor(null)
                .detail("changed", changed)
                .detail("roles", List.copyOf(user.roleSet()))
                .detail("disabled", user.disabled);
        // New roles or a disabled account: tokens issued before must stop working now.
        return revoker.revokeAllOfUser(user.id, user.disabled ? "disabled" : "roles_changed")
                .call(sids -> audit.record(event.detail("sessionsRevoked", (long) sids.size())))
                .map(sids -> Attempt.ok(user, sids));
    }

    public Uni<Void> unlock(String id) {
        return Panache.withTransaction(() -> users.findByIdForUpdate(id)
                .onItem().ifNull().failWith(() -> new Problems.NotFound("No such user."))
                .chain(user -> {
                    int failures = user.failedLogins;
                    user.failedLogins = 0;
                    user.lockedUntil = null;
                    user.updatedAt = Times.now();
                    return audit.record(Audits.about("user.unlocked", user)
                            .actor(null)
                            .detail("failedLogins", (long) failures));
                }))
                .replaceWithVoid();
    }
}
