package dev.strongroom.secrets.access;

import dev.strongroom.secrets.Permission;
import dev.strongroom.secrets.Secret;
import dev.strongroom.secrets.SecretGrant;
import dev.strongroom.secrets.config.SecretsConfig;
import dev.strongroom.secrets.repository.SecretGrantRepository;
import dev.strongroom.secrets.repository.SecretRepository;
import dev.strongroom.secrets.support.SecretAudit;
import dev.strongroom.secrets.support.SecretMetrics;
import dev.strongroom.secrets.support.SecretRules;
import dev.strongroom.secrets.support.Times;
import dev.strongroom.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A secret's grants: read them (ADMIN) and replace them all at once (ADMIN), audited as {@code secret.access_changed}. */
@ApplicationScoped
public class GrantService {

    @Inject
    SecretRepository secrets;

    @Inject
    SecretGrantRepository grants;

    @Inject
    SecretAudit audit;

    @Inject
    Guard guard;

    @Inject
    SecretLocks locks;

    @Inject
    SecretMetrics metrics;

    @Inject
    SecretsConfig config;

    /** A secret with its grants. */
    public record WithGrants(Secret secret, List<SecretGrant> grants) {}

    public Uni<WithGrants> access(Caller caller, UUID id) {
        return Panache.withTransaction(() -> secrets.findWithGrants(id, Access.principalsOf(caller))
                        .chain(found -> guard.run(caller, found == null ? null : found.secret(), Guard.bits(found),
                                Guard.Need.permission(Permission.ADMIN), "read-access", access -> grants.listForSecret(id)
                                        .map(list -> new WithGrants(found.secret(), list)))))
                .map(Verdict::orThrow);
    }

    public Uni<WithGrants> replaceAccess(Caller caller, UUID id, List<SecretRules.GrantSpec> requested) {
        return metrics.counted("access", () -> {
            Map<String, Integer> wanted = SecretRules.grants(requested, config.maxGrants());
            return locks.locked(caller, id, Guard.Need.permission(Permission.ADMIN), "change-access",
                    (secret, access) -> grants.listForSecret(id)
                            .chain(before -> replaceGrants(caller, secret, before, wanted)));
        });
    }

    private Uni<WithGrants> replaceGrants(Caller caller, Secret secret, List<SecretGrant> before, Map<String, Integer> wanted) {
        LocalDateTime now = Times.now();
        List<SecretGrant> after = new ArrayList<>();
        for (Map.Entry<String, Integer> entry : wanted.entrySet()) {
            SecretGrant grant = new SecretGrant();
            grant.secretId = secret.id;
            grant.principal = entry.getKey();
            grant.permissions = entry.getValue();
            grant.environment = secret.environment;
            grant.name = secret.name;
            grant.createdAt = now;
            grant.createdBy = caller.principal();
            after.add(grant);
        }
        List<String> summary = after.stream()
                .map(g -> g.principal + "=" + String.join("+", Permission.of(g.permissions).stream().map(Enum::name).toList()))
                .toList();
        List<String> removed = before.stream()
                .map(g -> g.principal)
                .filter(p -> !wanted.containsKey(p))
                .toList();
        Uni<Void> detach = Uni.createFrom().voidItem();
        for (SecretGrant old : before) {
            detach = detach.call(() -> grants.delete(old));
        }
        return detach
                .call(() -> grants.flush())
                .call(() -> after.isEmpty() ? Uni.createFrom().voidItem() : grants.persist(after))
                .call(() -> audit.success(SecretAudit.ACCESS_CHANGED, secret, null, event -> event
                        .detail("grants", summary)
                        .detail("removedPrincipals", removed)))
                .replaceWith(new WithGrants(secret, after));
    }
}
