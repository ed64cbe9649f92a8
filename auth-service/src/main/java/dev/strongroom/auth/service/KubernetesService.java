package dev.strongroom.auth.service;

import dev.strongroom.auth.KubernetesRole;
import dev.strongroom.auth.Roles;
import dev.strongroom.auth.config.AuthConfig;
import dev.strongroom.auth.repository.KubernetesRoleRepository;
import dev.strongroom.common.audit.ActorType;
import dev.strongroom.common.audit.AuditActor;
import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.audit.AuditOutbox;
import dev.strongroom.common.audit.AuditTarget;
import dev.strongroom.common.id.UuidV7;
import dev.strongroom.common.problem.Problems;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Kubernetes workload login: a pod's projected service-account token, verified against the cluster
 * issuer's JWKS (smallrye-jwt), matched against a role's bound namespaces, service accounts and audience,
 * is exchanged for a Strongroom access token of {@code workload:<namespace>/<serviceaccount>}.
 */
@ApplicationScoped
public class KubernetesService {

    /** What a verified projected token says about its workload. */
    record Workload(String namespace, String serviceAccount, Set<String> audiences) {}

    @Inject
    AuthConfig config;
    @Inject
    KubernetesRoleRepository roles;
    @Inject
    AuditOutbox audit;
    @Inject
    SessionRevoker revoker;
    @Inject
    TokenIssuer issuer;
    @Inject
    Blocking blocking;

    private volatile DefaultJWTParser parser;

    public Uni<KubernetesRole> create(String name, List<String> namespaces, List<String> serviceAccounts, String audience,
            List<String> grantedRoles) {
        return Panache.withTransaction(() -> roles.findByName(name)
                        .chain(existing -> {
                            if (existing != null) {
                                throw new Problems.Conflict("kubernetes-role-exists", "A Kubernetes role with that name exists.");
                            }
                            KubernetesRole role = new KubernetesRole();
                            role.id = UuidV7.next().toString();
                            role.name = name;
                            role.boundNamespaces = String.join(",", namespaces);
                            role.boundServiceAccounts = String.join(",", serviceAccounts);
                            role.audience = audience;
                            role.roles = Roles.format(grantedRoles);
                            role.createdAt = Times.now();
                            return roles.persist(role);
                        })
                        .call(role -> audit.record(AuditEvent.of("kubernetes_role.created")
                                .resource(AuditTarget.of("kubernetes-role", role.id, role.name))
                                .detail("boundNamespaces", namespaces)
                                .detail("boundServiceAccounts", serviceAccounts)
                                .detail("roles", grantedRoles))))
                .onFailure(AccountService::isDuplicate)
                .transform(e -> new Problems.Conflict("kubernetes-role-exists", "A Kubernetes role with that name exists."));
    }

    public Uni<List<KubernetesRole>> list(String afterName, int limit) {
        return Panache.withSession(() -> roles.listAfter(afterName, limit));
    }

    /** Deletes the role and revokes the tokens issued under it (their sid is the role id). */
    public Uni<Void> delete(String name) {
        return Panache.withTransaction(() -> roles.findByName(name)
                        .onItem().ifNull().failWith(() -> new Problems.NotFound("No such Kubernetes role."))
                        .call(role -> roles.delete(role))
                        .call(role -> audit.record(AuditEvent.of("kubernetes_role.deleted")
                                .resource(AuditTarget.of("kubernetes-role", role.id, role.name))))
                        .chain(role -> revoker.revokeSid(role.id, "deleted")))
                .invoke(sid -> revoker.committed(List.of(sid)))
                .replaceWithVoid();
    }

    public Uni<TokenIssuer.AccessToken> login(String roleName, String jwt) {
        if (config.kubernetes().issuer().isEmpty() || config.kubernetes().jwksUrl().isEmpty()) {
            return Uni.createFrom().failure(new AuthProblems.NotConfigured(
                    "Kubernetes login is not configured (strongroom.auth.kubernetes.issuer and .jwks-url)."));
        }
        return blocking.run(() -> verify(jwt))
                .chain(workload -> Panache.withTransaction(() -> roles.findByName(roleName)
                        .chain(role -> decide(roleName, role, workload))))
                .map(Attempt::orThrow);
    }

    private Uni<Attempt<TokenIssuer.AccessToken>> decide(String roleName, KubernetesRole role, Workload workload) {
        String name = workload == null ? null : workload.namespace() + "/" + workload.serviceAccount();
        String reason = workload == null ? "token not valid for the cluster issuer"
                : role == null ? "unknown role"
                : !matches(role.namespaces(), workload.namespace()) ? "namespace not bound"
                : !matches(role.serviceAccounts(), workload.serviceAccount()) ? "service account not bound"
                : !workload.audiences().contains(role.audience) ? "audience mismatch"
                : null;
        AuditActor actor = new AuditActor(name == null ? null : "workload:" + name, name, ActorType.WORKLOAD, null, null);
        if (reason != null) {
            return audit.record(AuditEvent.of("workload.login_failed")
                            .actor(actor)
                            .failure(reason)
                            .detail("roleName", roleName))
                    .replaceWith(Attempt.refused(new AuthProblems.WorkloadRefused()));
        }
        TokenIssuer.AccessToken token = issuer.issue("workload:" + name, name, "workload", role.roleSet(), role.id);
        return audit.record(AuditEvent.of("workload.login")
                        .actor(actor)
                        .resource(AuditTarget.of("kubernetes-role", role.id, role.name))
                        .detail("roles", List.copyOf(role.roleSet())))
                .replaceWith(Attempt.ok(token));
    }

    private static boolean matches(Set<String> bound, String value) {
        return bound.contains("*") || bound.contains(value);
    }

    /** The workload of a valid token (issuer, signature against the cluster JWKS, expiry), or null. */
    Workload verify(String jwt) {
        try {
            JsonWebToken token = parser().parse(jwt);
            String namespace = null;
            String serviceAccount = null;
            Object claim = token.getClaim("kubernetes.io");
            if (claim instanceof JsonObject k8s) {
                namespace = k8s.getString("namespace", null);
                JsonValue sa = k8s.get("serviceaccount");
                if (sa instanceof JsonObject saObject && saObject.get("name") instanceof JsonString saName) {
                    serviceAccount = saName.getString();
                }
            }
            String subject = token.getSubject();
            String expected = "system:serviceaccount:" + namespace + ":" + serviceAccount;
            if (namespace == null || serviceAccount == null || !expected.equals(subject)) {
                return null;
            }
            Set<String> audiences = token.getAudience() == null ? Set.of() : token.getAudience();
            return new Workload(namespace, serviceAccount, audiences);
        } catch (ParseException e) {
            return null;
        }
    }

    private DefaultJWTParser parser() {
        DefaultJWTParser current = parser;
        if (current == null) {
            JWTAuthContextInfo context = new JWTAuthContextInfo(config.kubernetes().jwksUrl().orElseThrow(),
                    config.kubernetes().issuer().orElseThrow());
            context.setSignatureAlgorithm(Set.of(SignatureAlgorithm.RS256, SignatureAlgorithm.ES256));
            context.setClockSkew(config.kubernetes().clockSkewSeconds());
            context.setRequireNamedPrincipal(false);
            context.setForcedJwksRefreshInterval(1);
            current = new DefaultJWTParser(context);
            parser = current;
        }
        return current;
    }
}
