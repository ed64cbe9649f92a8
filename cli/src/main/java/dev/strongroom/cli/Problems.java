package dev.strongroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Turns an error answer (problem+json, OAuth2's error JSON, or anything else) into one clear line. */
public final class Problems {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {}

    /** The last path segment of the problem type, e.g. {@code mfa-required}; null when there is none. */
    public static String slug(String body) {
        JsonNode problem = parse(body);
        String type = problem == null ? null : text(problem, "type");
        if (type == null) {
            return null;
        }
        int slash = type.lastIndexOf('/');
        return slash >= 0 ? type.substring(slash + 1) : type;
    }

    public static CliException toException(int status, String body) {
        return new CliException(ExitCodes.forStatus(status), line(status, body));
    }

    /** {@code <detail or title>[: field message; …] (HTTP <status>[, <slug>])}, on one line. */
    public static String line(int status, String body) {
        JsonNode problem = parse(body);
        StringBuilder line = new StringBuilder();
        String slug = null;
        if (problem != null) {
            String detail = text(problem, "detail");
            String title = text(problem, "title");
            String oauthError = text(problem, "error");
            String oauthDescription = text(problem, "error_description");
            if (detail != null) {
                line.append(detail);
            } else if (title != null) {
                line.append(title);
            } else if (oauthError != null) {
                line.append(oauthDescription != null ? oauthDescription : oauthError);
            }
            JsonNode errors = problem.path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                StringBuilder fields = new StringBuilder();
                for (JsonNode error : errors) {
                    if (!fields.isEmpty()) {
                        fields.append("; ");
                    }
                    String field = text(error, "field");
                    fields.append(field == null ? "" : field + " ").append(String.valueOf(text(error, "message")));
                }
                if (!line.isEmpty() && line.charAt(line.length() - 1) == '.') {
                    line.setLength(line.length() - 1);
                }
                line.append(line.isEmpty() ? "" : ": ").append(fields);
            }
            slug = slug(body);
            if (slug == null) {
                slug = oauthError;
            }
        }
        if (line.isEmpty()) {
            line.append(switch (status) {
                case 401 -> "not authenticated";
                case 403 -> "forbidden";
                case 404 -> "not found";
                case 429 -> "too many requests";
                default -> status >= 500 ? "the service failed" : "request refused";
            });
        }
        line.append(" (HTTP ").append(status);
        if (slug != null && !slug.isBlank()) {
            line.append(", ").append(slug);
        }
        line.append(')');
        return oneLine(line.toString());
    }

    static String oneLine(String text) {
        return text.replaceAll("[\\r\\n\\t]+", " ").strip();
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
