package dev.strongroom.common.problem;

import dev.strongroom.common.web.RequestIds;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.WebApplicationException;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * problem+json for the errors that happen in Vert.x, outside the REST layer and its {@link ProblemMappers}:
 * a form field over {@code quarkus.http.limits.max-form-attribute-size} (the form parser fails while the body
 * arrives, and Quarkus' last-resort handler answered 500 with its own JSON), a request target no route can match
 * ({@code *}, a path without its leading slash: Vert.x answered 404 with an empty body), and anything else that
 * reaches the router unhandled.
 *
 * <p>Out of reach (docs/security.md): a request line over {@code quarkus.http.limits.max-initial-line-length}
 * (414) or headers over their limit (431), which the HTTP codec answers before a request exists, and a target
 * {@link java.net.URI} cannot parse (a bad percent-escape), which Quarkus' entry handler answers with a bare 400
 * before any router or filter runs.
 */
@ApplicationScoped
public class HttpProblems {

    private static final Logger LOG = Logger.getLogger(HttpProblems.class);
    /** Just before Quarkus' own failure handler, which is {@code route().last()} (order Integer.MAX_VALUE). */
    static final int FAILURE_ORDER = Integer.MAX_VALUE - 1;
    /** Statuses Vert.x Web answers itself when no handler took the failure. */
    private static final List<Integer> ROUTER_STATUSES = List.of(400, 404, 405, 406, 413, 414, 415, 431, 500, 501);

    void install(@Observes Router router) {
        router.route().order(FAILURE_ORDER).failureHandler(this::failure);
        for (int status : ROUTER_STATUSES) {
            router.errorHandler(status, context -> answer(context, status));
        }
    }

    private void failure(RoutingContext context) {
        Throwable failure = context.failure();
        if (failure != null && failure.getClass().getName().startsWith("io.quarkus.security.")) {
            context.next(); // Quarkus answers authentication and authorisation failures with their challenge
            return;
        }
        answer(context, statusOf(context));
    }

    private static int statusOf(RoutingContext context) {
        Throwable failure = context.failure();
        if (failure instanceof WebApplicationException web) {
            return web.getResponse().getStatus();
        }
        if (failure instanceof HttpException http) {
            return http.getStatusCode();
        }
        return context.statusCode() >= 400 ? context.statusCode() : 500;
    }


    private static void answer(RoutingContext context, int status) {
        if (context.response().ended() || context.response().closed()) {
            return;
        }
        String requestId = requestId(context);
        if (status == 500 && ProblemMappers.dependencyUnreachable(context.failure())) {
            // as in ProblemMappers: a dependency away is a 503 the client may retry, logged in one line
            LOG.warnf("A %s request failed outside the REST layer: a dependency cannot be reached (request %s): %s",
                    context.request().method(), requestId, MessagelessFailure.kinds(context.failure()));
            context.response().putHeader("Retry-After", Integer.toString(ProblemMappers.DEPENDENCY_RETRY_AFTER_SECONDS));
            send(context, 503, "dependency-unavailable", "Service unavailable", ProblemMappers.dependencyUnavailableDetail(requestId),
                    requestId, false);
            return;
        }
        if (status >= 500) {
            // no path (it may carry a share token or a secret's name) and no message: a decoder's message may quote
            // the raw form field it choked on (a client secret); the classes and the request id lead to the rest
            LOG.errorf("Unexpected failure of a %s request outside the REST layer (request %s): %s",
                    context.request().method(), requestId, MessagelessFailure.kinds(context.failure()));
        }
        String detail = switch (status) {
            case 400 -> "The request cannot be read.";
            case 404 -> "There is nothing at this path.";
            case 413 -> "The request body or one of its form fields is larger than this service accepts.";
            case 500 -> "The server could not complete the request. Quote request id " + requestId + " to your operator.";
            default -> ProblemMappers.titleFor(status) + ".";
        };
        send(context, status, status == 500 ? "internal-error" : ProblemMappers.slugFor(status),
                status == 500 ? "Internal server error" : ProblemMappers.titleFor(status), detail, requestId, status == 413);
    }

    /** The caller's X-Request-Id when it is a plain token, else a fresh one (the REST layer's filter has not run). */
    public static String requestId(RoutingContext context) {
        String offered = context.request().getHeader(RequestIds.HEADER);
        return offered != null && RequestIds.accepted(offered) ? offered : UUID.randomUUID().toString();
    }

    /**
     * Writes a problem straight to the Vert.x response. {@code close}: the body was not (fully) read, so the
     * connection is closed once the answer is out rather than reused.
     */
    public static void send(RoutingContext context, int status, String slug, String title, String detail, String requestId, boolean close) {
        Problem problem = new Problem(Problem.type(slug), title, status, detail, context.request().path(), requestId, null);
        context.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(RequestIds.HEADER, requestId)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (close) {
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        context.response().end(Json.encode(problem)).onComplete(done -> {
            if (close) {
                context.request().connection().close();
            }
        });
    }
}
