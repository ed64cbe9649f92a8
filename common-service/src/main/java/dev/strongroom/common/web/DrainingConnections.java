package dev.strongroom.common.web;

import io.quarkus.smallrye.health.runtime.ShutdownReadinessCheck;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ends callers' keep-alive connections while the instance drains (docs/operations.md, "Rolling restarts"). On SIGTERM
 * readiness turns DOWN and requests are still served for {@code quarkus.shutdown.delay}; a Kubernetes Service (kube-proxy)
 * stops sending the instance new connections, but a caller's pooled connection stays with it and, once the delay is
 * over, would be answered 503 by the stopping server. So while readiness is DOWN for shutdown, every HTTP/1.x answer
 * carries {@code Connection: close}, and an HTTP/2 connection gets a GOAWAY (its streams in flight finish): the caller
 * opens its next connection anew, to an instance that is ready.
 */
public class DrainingConnections {

    /** Longest an HTTP/2 connection may keep finishing its streams after the GOAWAY (the server stops sooner). */
    private static final long HTTP2_FINISH_SECONDS = 30;

    private final Instance<ShutdownReadinessCheck> shutdown;
    /** Once set, stays set: an instance that began shutting down never serves keep-alive again. */
    private volatile boolean draining;

    @Inject
    DrainingConnections(@Readiness Instance<ShutdownReadinessCheck> shutdown) {
        this.shutdown = shutdown;
    }

    void install(@Observes Filters filters) {
        // ahead of every route (and of the REST layer), so no answer escapes it
        filters.register(rc -> {
            if (draining()) {
                HttpServerRequest request = rc.request();
                if (request.version() == HttpVersion.HTTP_2) {
                    // HTTP/2 has no Connection header: a GOAWAY once this answer is out (sent before it, the stream was refused)
                    rc.addEndHandler(ended -> request.connection().shutdown(HTTP2_FINISH_SECONDS, TimeUnit.SECONDS));
                } else {
                    rc.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
                }
            }
            rc.next();
        }, 1_000);
    }

    /** True from the moment readiness turned DOWN for shutdown (no shutdown readiness check: never). */
    boolean draining() {
        if (!draining && shutdown.isResolvable()) {
            draining = shutdown.get().call().getStatus() == HealthCheckResponse.Status.DOWN;
        }
        return draining;
    }
}
