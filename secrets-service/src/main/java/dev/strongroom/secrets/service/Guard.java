package dev.strongroom.secrets.service;

import dev.strongroom.common.problem.ProblemException;
import dev.strongroom.secrets.Permission;
import dev.strongroom.secrets.Secret;
import dev.strongroom.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.Function;

/**
 * Runs an action on a secret only when the caller may: otherwise records {@code secret.access_denied}
 * in the same transaction and ends with the refusal (404 for callers that may not know the secret,
 * 403 for those that do), which the caller throws after the commit.
 */
@ApplicationScoped
public class Guard {

    @Inject
    SecretAudit audit;

    /** What the action needs: a permission, or just knowing the secret (metadata). */
    public record Need(Permission permission, boolean deletedToo) {
        public static Need permission(Permission permission) {
            return new Need(permission, false);
        }

        /** Metadata: owner, READ or ADMIN. */
        public static Need knowledge() {
            return new Need(null, false);
        }

        public Need includingDeleted() {
            return new Need(permission, true);
        }
    }

    /** Runs {@code action} when allowed; its failures roll the transaction back. */
    public <T> Uni<Outcome<T>> run(Caller caller, Secret secret, int grantedBits, Need need, String operation,
            Function<Access, Uni<T>> action) {
        return decide(caller, secret, grantedBits, need, operation, access -> action.apply(access)
                .map(Outcome::ok));
    }

    /** Runs {@code action} when allowed; it may end with a refusal of its own that still commits (e.g. an audited failure). */
    public <T> Uni<Outcome<T>> decide(Caller caller, Secret secret, int grantedBits, Need need, String operation,
            Function<Access, Uni<Outcome<T>>> action) {
        if (secret == null || (secret.deleted() && !need.deletedToo())) {
            return Uni.createFrom().item(Outcome.refused(SecretProblems.secretNotFound()));
        }
        Access access = Access.of(caller, secret, grantedBits);
        boolean allowed = need.permission() == null ? access.knows() : access.has(need.permission());
        if (!allowed) {
            ProblemException refusal = need.permission() == null ? SecretProblems.secretNotFound() : access.refusal(need.permission());
            Permission required = need.permission() == null ? Permission.READ : need.permission();
            return audit.denied(secret, operation, required, refusal.status())
                    .replaceWith(Outcome.refused(refusal));
        }
        return action.apply(access);
    }
}
