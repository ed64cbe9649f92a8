package dev.strongroom.secrets.access;

import dev.strongroom.secrets.Secret;
import dev.strongroom.secrets.repository.SecretGrantRepository;
import dev.strongroom.secrets.repository.SecretRepository;
import dev.strongroom.secrets.support.SecretProblems;
import dev.strongroom.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;

/**
 * Every change of a secret: in one transaction, lock the secret, check the caller's permission (a refusal is
 * audited and committed), then run the change. The features that change secrets (lifecycle, values, rotation,
 * grants) all go through here.
 */
@ApplicationScoped
public class SecretLocks {

    @Inject
    SecretRepository secrets;

    @Inject
    SecretGrantRepository grants;

    @Inject
    Guard guard;

    /** A change of a locked secret the caller may make. */
    @FunctionalInterface
    public interface Change<T> {
        Uni<T> apply(Secret secret, Access access);
    }

    /** A change that may end with a refusal of its own, committed with its audit event. */
    @FunctionalInterface
    public interface Decision<T> {
        Uni<Verdict<T>> apply(Secret secret, Access access);
    }

    /** Like {@link #locked}, for a change that checks more once it sees the secret (its refusal still commits). */
    public <T> Uni<T> decided(Caller caller, UUID id, Guard.Need need, String operation, Decision<T> change) {
        List<String> principals = Access.principalsOf(caller);
        return Panache.withTransaction(() -> secrets.lock(id)
                        .chain(secret -> secret == null
                                ? Uni.createFrom().item(Verdict.<T>refused(SecretProblems.secretNotFound()))
                                : grants.bitsFor(id, principals)
                                        .chain(bits -> guard.decide(caller, secret, bits, need, operation,
                                                access -> change.apply(secret, access)))))
                .map(Verdict::orThrow);
    }

    /** Locks the secret, checks the caller's permission (auditing a refusal), then runs the change. */
    public <T> Uni<T> locked(Caller caller, UUID id, Guard.Need need, String operation, Change<T> change) {
        return decided(caller, id, need, operation, (secret, access) -> change.apply(secret, access).map(Verdict::ok));
    }
}
