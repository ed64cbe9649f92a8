package dev.strongroom.common.problem;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Vert.x routes of this module's tests that fail outside the REST layer, as an authentication step can. */
@ApplicationScoped
public class FailingRoutes {

    void install(@Observes Router router) {
        // what a handler in front of the REST layer sees when a service it calls refuses the connection
        router.get("/v1/route-examples/unreachable").handler(context -> context.fail(
                new IllegalStateException("could not fetch keys from s3cr3t-host", new java.net.ConnectException("Connection refused"))));
        router.get("/v1/route-examples/failure").handler(context -> context.fail(new IllegalStateException("s3cr3t in a message")));
    }
}
