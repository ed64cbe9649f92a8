package dev.strongroom.sharing.service;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/** CPU-heavy work (Argon2id) off the event loop, its result back on the calling Vert.x context (where the session lives). */
final class Blocking {

    private Blocking() {}

    static <T> Uni<T> run(Supplier<T> work) {
        return Uni.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            if (context == null) {
                return Uni.createFrom().item(work);
            }
            return Uni.createFrom().completionStage(() -> context.executeBlocking(work::get, false).toCompletionStage());
        });
    }
}
