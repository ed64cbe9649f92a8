package dev.strongroom.common.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every error answer.
 * {@code detail} is written for the client and never carries a stack trace, class name,
 * SQL or secret material; {@code requestId} lets an operator find the server-side log line.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        String requestId,
        List<FieldError> errors) {

    /** Base of every problem type URI: {@code <base><slug>}, e.g. {@code .../problems/not-found}. */
    public static final String TYPE_BASE = "https://strongroom.dev/problems/";

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid field of a 422 answer. */
    public record FieldError(String field, String message) {}

    public static String type(String slug) {
        return TYPE_BASE + slug;
    }
}
