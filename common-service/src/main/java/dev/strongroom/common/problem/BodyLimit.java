package dev.strongroom.common.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
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
            HttpProblems.send(context, 413, "too-large", "Payload too large",
                    "The request body is larger than this service accepts (" + max + " bytes).", HttpProblems.requestId(context), true);
        });
    }
}
