package dev.strongroom.secrets.access;

import dev.strongroom.common.problem.ProblemException;
import dev.strongroom.secrets.Permission;
import dev.strongroom.secrets.Secret;
import dev.strongroom.secrets.repository.Found;
import dev.strongroom.secrets.support.SecretAudit;
import dev.strongroom.secrets.support.SecretProblems;
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

    /** The OR of the caller's grant bits of a found secret (0 when none was found). */
    public static int bits(Found found) {
        return found == null ? 0 : found.grantedBits();
    }

    /** Runs {@code action} when allowed; its failures roll the transaction back. */
    public <T> Uni<Verdict<T>> run(Caller caller, Secret secret, int grantedBits, Need need, String operation,
            Function<Access, Uni<T>> action) {
        return decide(caller, secret, grantedBits, need, operation, access -> action.apply(access)
                .map(Verdict::ok));
    }

    /** Runs {@code action} when allowed; it may end with a refusal of its own that still commits (e.g. an audited failure). */
    public <T> Uni<Verdict<T>> decide(Caller caller, Secret secret, int grantedBits, Need need, String operation,
            Function<Access, Uni<Verdict<T>>> action) {
        if (secret == null || (secret.deleted() && !need.deletedToo())) {
            return Uni.createFrom().item(Verdict.refused(SecretProblems.secretNotFound()));
        }
        Access access = Access.of(caller, secret, grantedBits);
        boolean allowed = need.permission() == null ? access.knows() : access.has(need.permission());
        if (!allowed) {
            ProblemException refusal = need.permission() == null ? SecretProblems.secretNotFound() : access.refusal(need.permission());
            Permission required = need.permission() == null ? Permission.READ : need.permission();
            return audit.denied(secret, operation, required, refusal.status())
                    .replaceWith(Verdict.refused(refusal));
        }
        return action.apply(access);
    }
}
