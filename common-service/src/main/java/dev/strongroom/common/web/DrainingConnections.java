package dev.strongroom.common.web;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.smallrye.health.runtime.ShutdownReadinessCheck;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ends callers' keep-alive connections while the instance drains (docs/operations.md, "Rolling restarts"). On SIGTERM
 * readiness turns DOWN and requests are still served for {@code quarkus.shutdown.delay}; a Kubernetes Service (kube-proxy)
 * stops sending the instance new connections, but a caller's pooled connection stays with it and, once the delay is
 * over, would be answered 503 by the stopping server. So while readiness is DOWN for shutdown, every HTTP/1.1 answer
 * carries {@code Connection: close}: the caller closes the connection after it (the JDK's and Vert.x's clients do) and
 * opens its next one anew, to an instance that is ready. The server itself does not close it before it stops (Vert.x
 * keeps a connection by the request's headers), and an HTTP/1.0 keep-alive request still gets keep-alive. The readiness
 * check is looked at every 100 ms off the request path, so a request pays one volatile read.
 *
 * <p>HTTP/2 has no such header, and a GOAWAY sent here raced the caller's next stream: the JDK's client failed that
 * request (RollingOperationsIT, one of 3,462), so HTTP/2 connections are left alone and end when the server stops.
 */
@Singleton
public class DrainingConnections {

    /** How often the shutdown readiness check is looked at: a small part of the 5 s shutdown delay. */
    static final long POLL_MILLIS = 100;

    private final Instance<ShutdownReadinessCheck> shutdown;
    private final Vertx vertx;
    /** Once set, stays set: an instance that began shutting down never serves keep-alive again. */
    private volatile boolean draining;

    @Inject
    DrainingConnections(@Readiness Instance<ShutdownReadinessCheck> shutdown, Vertx vertx) {
        this.shutdown = shutdown;
        this.vertx = vertx;
    }

    void install(@Observes Filters filters) {
        // ahead of every route (and of the REST layer), so no answer escapes it; per request one volatile read
        filters.register(rc -> {
            if (draining && rc.request().version() != HttpVersion.HTTP_2) {
                rc.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
            }
            rc.next();
        }, 1_000);
    }

    /** Watches the shutdown readiness check off the request path (absent: never draining). */
    void watch(@Observes StartupEvent started) {
        if (!shutdown.isResolvable()) {
            return;
        }
        ShutdownReadinessCheck check = shutdown.get();
        check.call(); // loads the health classes now, on the start-up thread, not on an event loop under load
        vertx.setPeriodic(POLL_MILLIS, timer -> {
            if (check.call().getStatus() == HealthCheckResponse.Status.DOWN) {
                draining = true;
                vertx.cancelTimer(timer);
            }
        });
    }
}
