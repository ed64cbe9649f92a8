package dev.strongroom.common.problem;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.util.Locale;
import java.util.Optional;

/**
 * Refuses a body whose {@code Content-Type} names a charset this JVM does not know with a problem+json 415,
 * before any body reader runs. The REST layer's form parser looks the charset up while the body arrives,
 * outside any resource, and an unknown or illegal name there was answered 500 or not at all (found by the
 * stack fuzzer: {@code application/x-www-form-urlencoded; charset=x-unknown}).
 */
@ApplicationScoped
public class RequestCharset {

    /** Beside {@link BodyLimit}: before Quarkus' body handling and every route. */
    static final int ORDER = BodyLimit.ORDER;

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(context -> {
            Optional<String> charset = charsetOf(context.request().getHeader(HttpHeaders.CONTENT_TYPE));
            if (charset.isEmpty() || known(charset.get())) {
                context.next();
                return;
            }
            HttpProblems.send(context, 415, "unsupported-media-type", "Unsupported media type",
                    "The charset named in Content-Type is not supported; send UTF-8.", HttpProblems.requestId(context), true);
        });
    }

    /** The {@code charset} parameter of a Content-Type value, unquoted; empty when there is none. */
    static Optional<String> charsetOf(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            int equals = parts[i].indexOf('=');
            if (equals < 0 || !parts[i].substring(0, equals).strip().toLowerCase(Locale.ROOT).equals("charset")) {
                continue;
            }
            String value = parts[i].substring(equals + 1).strip();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            return Optional.of(value);
        }
        return Optional.empty();
    }

    static boolean known(String name) {
        try {
            return Charset.isSupported(name);
        } catch (IllegalCharsetNameException illegal) {
            return false;
        }
    }
}
