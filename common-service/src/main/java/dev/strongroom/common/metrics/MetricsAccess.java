package dev.strongroom.common.metrics;

import dev.strongroom.common.problem.HttpProblems;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Who may read {@code /q/metrics} (Prometheus): everyone who reaches the port (default; the chart's NetworkPolicy
 * lets only Prometheus in), only a scraper presenting {@code Authorization: Bearer <strongroom.metrics.token>}
 * (401 problem+json otherwise), or nobody ({@code strongroom.metrics.enabled=false}: 404). Micrometer's endpoint
 * cannot move to another port at runtime (Quarkus' management interface is a build-time choice), so this guards
 * it where it is; docs/security.md explains the decision.
 */
@ApplicationScoped
public class MetricsAccess {

    /** Before BodyLimit (-3) and every route of Quarkus. */
    static final int ORDER = -4;

    void install(@Observes Router router,
            @ConfigProperty(name = "quarkus.http.non-application-root-path", defaultValue = "q") String root,
            @ConfigProperty(name = "strongroom.metrics.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "strongroom.metrics.token") Optional<String> token) {
        if (enabled && token.isEmpty()) {
            return;
        }
        byte[] expected = token.map(MetricsAccess::sha256).orElse(null);
        String path = "/" + root.replaceAll("^/+|/+$", "") + "/metrics";
        router.route(path).order(ORDER).handler(context -> guard(context, enabled, expected));
        router.route(path + "/*").order(ORDER).handler(context -> guard(context, enabled, expected));
    }

    private static void guard(RoutingContext context, boolean enabled, byte[] expected) {
        if (!enabled) {
            refuse(context, 404, "not-found", "Not found", "Metrics are turned off on this service.");
            return;
        }
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        // compares digests, so neither the token's characters nor its length show in the timing
        if (bearer && MessageDigest.isEqual(expected, sha256(authorization.substring(7).trim()))) {
            context.next();
            return;
        }
        context.response().putHeader("WWW-Authenticate", "Bearer realm=\"metrics\"");
        refuse(context, 401, "unauthenticated", "Unauthorized", "Metrics need the scrape token (Authorization: Bearer).");
    }

    private static void refuse(RoutingContext context, int status, String type, String title, String detail) {
        HttpProblems.send(context, status, type, title, detail, HttpProblems.requestId(context), false);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
