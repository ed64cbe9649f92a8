package dev.strongroom.common.problem;

import dev.strongroom.common.web.RequestIds;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a body declared larger than {@code quarkus.http.limits.max-body-size} with a
 * problem+json 413, just before Quarkus' own limit check would answer the same status with an
 * empty body. The connection is closed afterwards: the body is not read. Beside {@link ProblemMappers}
 * as the one error answer given before any resource runs.
 */
@ApplicationScoped
public class BodyLimit {

    /** Quarkus enforces the limit at route order -2 (RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT); this runs just before. */
    static final int ORDER = -3;
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

    void install(@Observes Router router, @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> limit) {
        if (limit.isEmpty()) {
            return;
        }
        long max = limit.get().asLongValue();
        router.route().order(ORDER).handler(context -> {
            String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length == null || !DIGITS.matcher(length).matches() || Long.parseLong(length) <= max) {
                context.next();
                return;
            }
            String offered = context.request().getHeader(RequestIds.HEADER);
            String requestId = offered != null && RequestIds.accepted(offered) ? offered : UUID.randomUUID().toString();
            Problem problem = new Problem(Problem.type("too-large"), "Payload too large", 413,
                    "The request body is larger than this service accepts (" + max + " bytes).", context.request().path(), requestId, null);
            context.response()
                    .setStatusCode(413)
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(RequestIds.HEADER, requestId)
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end(Json.encode(problem))
                    .onComplete(done -> context.request().connection().close());
        });
    }
}
