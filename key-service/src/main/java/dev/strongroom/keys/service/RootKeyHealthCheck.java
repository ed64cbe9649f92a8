package dev.strongroom.keys.service;

import dev.strongroom.keys.repository.KeyRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when every stored keyset is sealed by a root key this replica holds (current or
 * previous): after a root rotation, a replica missing the right root key takes no traffic.
 */
@Readiness
@ApplicationScoped
public class RootKeyHealthCheck implements AsyncHealthCheck {

    @Inject
    KeyRepository keys;

    @Inject
    RootKeys rootKeys;

    @Override
    @WithSession
    public Uni<HealthCheckResponse> call() {
        return keys.distinctSealedBy()
                .map(this::answer);
    }

    private HealthCheckResponse answer(List<String> sealedBy) {
        List<String> unknown = sealedBy.stream().filter(ref -> !rootKeys.canOpen(ref)).toList();
        return HealthCheckResponse.named("root key")
                .status(unknown.isEmpty())
                .withData("root", rootKeys.currentRef())
                .withData("unknownSealers", String.join(",", unknown))
                .build();
    }
}
