package dev.strongroom.auth.service;

import dev.strongroom.auth.Roles;
import dev.strongroom.auth.config.AuthConfig;
import dev.strongroom.auth.repository.UserRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Set;
import org.jboss.logging.Logger;

/** At start-up: the first admin from configuration, and the configured service clients. */
@ApplicationScoped
public class Bootstrap {

    private static final Logger LOG = Logger.getLogger(Bootstrap.class);

    @Inject
    AuthConfig config;
    @Inject
    UserRepository users;
    @Inject
    AccountService accounts;
    @Inject
    Passwords passwords;
    @Inject
    ServiceAccountService serviceAccounts;

    void onStart(@Observes StartupEvent event) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> bootstrapAdmin()
                .chain(() -> serviceAccounts.provisionConfigured()));
    }

    Uni<Void> bootstrapAdmin() {
        AuthConfig.BootstrapAdmin admin = config.bootstrapAdmin();
        if (admin.username().isEmpty() || admin.password().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String username = admin.username().get();
        String password = PasswordPolicy.normalize(admin.password().get());
        if (!username.matches("[a-zA-Z0-9._-]{3,64}")) {
            throw new IllegalStateException("strongroom.auth.bootstrap-admin.username must be 3-64 of [a-zA-Z0-9._-]");
        }
        String problem = passwords.problem(password, username);
        if (problem != null) {
            throw new IllegalStateException("strongroom.auth.bootstrap-admin.password " + problem);
        }
        return Panache.withSession(() -> users.findByUsername(username))
                .chain(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().voidItem();
                    }
                    return Panache.withTransaction(() -> accounts.create(username, null, passwords.hash(password),
                                    Set.of(Roles.ADMIN, Roles.USER), true))
                            .invoke(created -> LOG.infof("Created the bootstrap admin %s", username))
                            .replaceWithVoid()
                            .onFailure(AccountService::isDuplicate).recoverWithNull()
                            .replaceWithVoid();
                });
    }
}
