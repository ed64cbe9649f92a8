package dev.strongroom.auth.service;

import dev.strongroom.auth.Roles;
import dev.strongroom.auth.ServiceAccount;
import dev.strongroom.auth.config.AuthConfig;
import dev.strongroom.auth.repository.ServiceAccountRepository;
import dev.strongroom.common.audit.AuditActor;
import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.audit.AuditOutbox;
import dev.strongroom.common.audit.AuditTarget;
import dev.strongroom.common.id.UuidV7;
import dev.strongroom.common.problem.Problems;
import dev.strongroom.crypto.Tokens;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/** Service accounts and the OAuth2 client-credentials grant; also those provisioned from configuration. */
@ApplicationScoped
public class ServiceAccountService {

    private static final Logger LOG = Logger.getLogger(ServiceAccountService.class);
    /** Compared against when the client id is unknown, so both cases cost the same. */
    private static final byte[] NO_SECRET = Tokens.hash("no-such-client");
    static final int MIN_CONFIGURED_SECRET = 32;

    /** A created account with its secret, which is shown once. */
    public record Created(ServiceAccount account, String clientSecret) {
        @Override
        public String toString() {
            return "Created[" + account.name + "]";
        }
    }

    @Inject
    AuthConfig config;
    @Inject
    ServiceAccountRepository accounts;
    @Inject
    AuditOutbox audit;
    @Inject
    SessionRevoker revoker;
    @Inject
    TokenIssuer issuer;

    public Uni<Created> create(String name, List<String> roles) {
        String secret = Tokens.newToken();
        return Panache.withTransaction(() -> accounts.findByName(name)
                        .chain(existing -> {
                            if (existing != null) {
                                throw new Problems.Conflict("service-account-exists", "A service account with that name exists.");
                            }
                            return insert(name, secret, Set.copyOf(roles), ServiceAccount.ORIGIN_API);
                        }))
                .onFailure(AccountService::isDuplicate)
                .transform(e -> new Problems.Conflict("service-account-exists", "A service account with that name exists."))
                .map(account -> new Created(account, secret));
    }

    private Uni<ServiceAccount> insert(String name, String secret, Set<String> roles, String origin) {
        ServiceAccount account = new ServiceAccount();
        account.id = UuidV7.next().toString();
        account.name = name;
        account.clientId = name;
        account.secretHash = Tokens.hash(secret);
        account.roles = Roles.format(roles);
        account.origin = origin;
        account.createdAt = Times.now();
        account.updatedAt = account.createdAt;
        return accounts.persist(account)
                .call(saved -> audit.record(AuditEvent.of("service_account.created")
                        .resource(AuditTarget.of("service-account", saved.id, saved.name))
                        .detail("roles", List.copyOf(roles))
                        .detail("origin", origin)));
    }

    public Uni<List<ServiceAccount>> list(String afterId, int limit) {
        return Panache.withSession(() -> accounts.listAfter(afterId, limit));
    }

    /** Deletes the account and revokes its tokens (their sid is the account id). */
    public Uni<Void> delete(String id) {
        return Panache.withTransaction(() -> accounts.findById(id)
                        .onItem().ifNull().failWith(() -> new Problems.NotFound("No such service account."))
                        .call(account -> accounts.delete(account))
                        .call(account -> audit.record(AuditEvent.of("service_account.deleted")
                                .resource(AuditTarget.of("service-account", account.id, account.name))))
                        .chain(account -> revoker.revokeSid(account.id, "deleted")))
                .invoke(sid -> revoker.committed(List.of(sid)))
                .replaceWithVoid();
    }

    /** The client-credentials grant: an access token for a known client with the right secret, else null. */
    public Uni<TokenIssuer.AccessToken> token(String clientId, String clientSecret) {
        return Panache.withTransaction(() -> accounts.findByClientId(clientId)
                .chain(account -> {
                    boolean ok = Tokens.matches(clientSecret, account == null ? NO_SECRET : account.secretHash) && account != null;
                    if (!ok) {
                        AuditActor actor = new AuditActor(account == null ? null : account.id,
                                dev.strongroom.common.audit.SensitiveDataGuard.claimedName(clientId),
                                dev.strongroom.common.audit.ActorType.SERVICE, null, null);
                        return audit.record(AuditEvent.of("service_account.login_failed").actor(actor).failure("bad client credentials"))
                                .replaceWith((TokenIssuer.AccessToken) null);
                    }
                    TokenIssuer.AccessToken token = issuer.issue(account.id, account.name, "service", account.roleSet(), account.id);
                    return audit.record(AuditEvent.of("service_account.login")
                                    .actor(AuditActor.service(account.id, account.name))
                                    .resource(AuditTarget.of("service-account", account.id, account.name))
                                    .detail("roles", List.copyOf(account.roleSet())))
                            .replaceWith(token);
                }));
    }

    /** Creates or updates the service clients named in {@code strongroom.auth.service-clients}. */
    public Uni<Void> provisionConfigured() {
        Map<String, AuthConfig.ServiceClient> clients = config.serviceClients();
        for (var entry : clients.entrySet()) {
            if (entry.getValue().secret().length() < MIN_CONFIGURED_SECRET) {
                throw new IllegalStateException("strongroom.auth.service-clients." + entry.getKey() + ".secret must be at least "
                        + MIN_CONFIGURED_SECRET + " characters");
            }
        }
        return Multi.createFrom().iterable(clients.entrySet())
                .onItem().transformToUniAndConcatenate(entry -> Panache.withTransaction(() -> upsert(entry.getKey(), entry.getValue())))
                .collect().asList()
                .invoke(done -> {
                    if (!done.isEmpty()) {
                        LOG.infof("Service clients from configuration: %s", clients.keySet());
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Void> upsert(String name, AuthConfig.ServiceClient client) {
        Set<String> roles = new HashSet<>(client.roles());
        return accounts.findByName(name)
                .chain(existing -> {
                    if (existing == null) {
                        return insert(name, client.secret(), roles, ServiceAccount.ORIGIN_CONFIG).replaceWithVoid();
                    }
                    boolean secretChanged = !Tokens.matches(client.secret(), existing.secretHash);
                    boolean rolesChanged = !existing.roleSet().equals(roles);
                    if (!secretChanged && !rolesChanged) {
                        return Uni.createFrom().voidItem();
                    }
                    existing.secretHash = Tokens.hash(client.secret());
                    existing.roles = Roles.format(roles);
                    existing.origin = ServiceAccount.ORIGIN_CONFIG;
                    existing.updatedAt = Times.now();
                    return audit.record(AuditEvent.of("service_account.updated")
                                    .resource(AuditTarget.of("service-account", existing.id, existing.name))
                                    .detail("secretRotated", secretChanged)
                                    .detail("roles", List.copyOf(roles)))
                            .replaceWithVoid();
                });
    }
}
