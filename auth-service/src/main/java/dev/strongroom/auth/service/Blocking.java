package dev.strongroom.auth.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.Supplier;

/** Runs CPU-heavy or blocking work (Argon2, JWKS fetches) on a worker thread and resumes on the caller's context. */
@ApplicationScoped
public class Blocking {

    @Inject
    Vertx vertx;

    public <T> Uni<T> run(Supplier<T> work) {
        return vertx.executeBlocking(Uni.createFrom().item(work), false);
    }
}
