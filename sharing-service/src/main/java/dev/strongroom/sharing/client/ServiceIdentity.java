package dev.strongroom.sharing.client;

import dev.strongroom.common.tls.ServiceTls;
import dev.strongroom.crypto.client.ServiceTokens;
import dev.strongroom.sharing.config.SharingConfig;
import dev.strongroom.sharing.ShareProblems;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * sharing-service's own access token, which secrets-service demands beside the sharer's: common-crypto's
 * {@link ServiceTokens} from {@code strongroom.sharing.identity.*} (client credentials at auth-service for the
 * service account {@code sharing-service}, role {@code sharing}; or a fixed token), cached and renewed early.
 */
@ApplicationScoped
public class ServiceIdentity {

    private static final Logger LOG = Logger.getLogger(ServiceIdentity.class);

    private final ServiceTokens tokens;

    @Inject
    public ServiceIdentity(SharingConfig config, ServiceTls tls) {
        this.tokens = ServiceTokens.from(config.identity(), config.secretsTimeout(), "strongroom.sharing.identity", tls.sslContext());
    }

    /** A fresh token, delivered on the caller's Vert.x context; 503 when none can be had. */
    public Uni<String> token() {
        return Uni.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            Uni<String> token = Uni.createFrom().completionStage(tokens::ready)
                    .map(ready -> tokens.current())
                    .onFailure().transform(failure -> {
                        LOG.warnf("No service token for secrets-service: %s", failure.getClass().getSimpleName());
                        return new ShareProblems.SecretsUnavailable();
                    })
                    .chain(current -> current == null
                            ? Uni.createFrom().failure(new ShareProblems.SecretsUnavailable())
                            : Uni.createFrom().item(current));
            return context == null ? token : token.emitOn(task -> {
                if (Vertx.currentContext() == context) {
                    task.run();
                } else {
                    context.runOnContext(ignored -> task.run());
                }
            });
        });
    }
}
