package dev.strongroom.sharing.client;

import dev.strongroom.sharing.config.SharingConfig;
import dev.strongroom.sharing.service.ShareProblems;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** sharing-service's own access token, which secrets-service demands beside the sharer's. */
@ApplicationScoped
public class ServiceIdentity {

    @Inject
    SharingConfig config;

    /** A fresh token; fails with 503 when none can be had. */
    public Uni<String> token() {
        return config.identity().token()
                .map(fixed -> Uni.createFrom().item(fixed))
                .orElseGet(() -> Uni.createFrom().failure(new ShareProblems.SecretsUnavailable()));
    }
}
