package dev.strongroom.common.config;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;

/**
 * Refuses to start a production service (Quarkus' prod profile: a packaged jar or an image) with defaults only a
 * developer's machine may use (docs/security.md, "Hardening checklist"):
 * <ul>
 *   <li>the database account {@code root} or an empty database password, unless
 *       {@value #ALLOW_INSECURE_DB} is true (the local stack sets it for its local MariaDB);</li>
 *   <li>auth-service's JWKS or another of our services reached over plain {@code http://} on a host other than
 *       the loopback, unless {@value #ALLOW_PLAIN_HTTP} is true (tokens, client secrets and data keys cross
 *       the network in the clear).</li>
 * </ul>
 * Dev mode and tests are not checked. The message names every problem and its setting, never a value.
 */
@ApplicationScoped
public class ProductionSafety {

    /** Opt-in: start even with the database account root or an empty password. */
    public static final String ALLOW_INSECURE_DB = "strongroom.db.allow-insecure-credentials";
    /** Opt-in: call the JWKS and our services over http:// on hosts other than the loopback. */
    public static final String ALLOW_PLAIN_HTTP = "strongroom.tls.allow-plain-http";
    /** The URLs of our own services a service calls; each is checked when it is configured. */
    static final List<String> SERVICE_URLS = List.of("strongroom.auth.jwks-url", "strongroom.services.auth-url",
            "strongroom.services.secrets-url", "strongroom.services.keys-url");

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent started, Config config) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        List<String> problems = problems(key -> config.getOptionalValue(key, String.class));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Refusing to start with insecure production settings (docs/security.md, "
                    + "\"Hardening checklist\"): " + String.join("; ", problems));
        }
    }

    /** What is wrong with this configuration for production, one sentence each; empty when nothing is. */
    static List<String> problems(Function<String, Optional<String>> config) {
        List<String> problems = new ArrayList<>();
        if (!flag(config, ALLOW_INSECURE_DB)) {
            String user = config.apply("quarkus.datasource.username").orElse("");
            boolean noPassword = config.apply("quarkus.datasource.password").map(String::isEmpty).orElse(true);
            if (user.isEmpty() || "root".equals(user)) {
                problems.add("the database account is " + (user.isEmpty() ? "not set" : "root")
                        + ": give each service its own account (strongroom.db.user), or set " + ALLOW_INSECURE_DB
                        + "=true on a development machine");
            }
            if (noPassword) {
                problems.add("the database password is empty: set strongroom.db.password (from a secret), or set "
                        + ALLOW_INSECURE_DB + "=true on a development machine");
            }
        }
        if (!flag(config, ALLOW_PLAIN_HTTP)) {
            for (String key : SERVICE_URLS) {
                config.apply(key)
                        .filter(url -> !url.isBlank() && plainHttpOffThisHost(url))
                        .ifPresent(url -> problems.add(key + " is plain http:// to another host: use https:// with a CA "
                                + "the service trusts (strongroom.tls.trust-configuration), or set " + ALLOW_PLAIN_HTTP
                                + "=true where the network itself is trusted"));
            }
        }
        return problems;
    }

    /** An http:// URL whose host is not the loopback (localhost, 127.0.0.0/8, ::1); not a URL at all counts too. */
    static boolean plainHttpOffThisHost(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            return true;
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            return uri.getScheme() == null || !"https".equalsIgnoreCase(uri.getScheme());
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(java.util.Locale.ROOT);
        return !(host.equals("localhost") || host.matches("127(\\.[0-9]{1,3}){3}") || host.equals("[::1]"));
    }

    private static boolean flag(Function<String, Optional<String>> config, String key) {
        return config.apply(key).map(value -> Boolean.parseBoolean(value.trim())).orElse(false);
    }
}
