package dev.strongroom.secrets.support;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Brings results of work done on foreign threads (key-service and webhook HTTP calls complete on the
 * JDK HTTP client's threads) back to the Vert.x context that asked, where the reactive database session
 * lives. Results already on that context continue without a hop.
 */
public final class ContextHop {

    private ContextHop() {}

    public static <T> Uni<T> onCallerContext(Uni<T> work) {
        return Uni.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            if (context == null) {
                return work;
            }
            return work.emitOn(task -> {
                if (Vertx.currentContext() == context) {
                    task.run();
                } else {
                    context.runOnContext(ignored -> task.run());
                }
            });
        });
    }
}
