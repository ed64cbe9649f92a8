package dev.strongroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/**
 * How a command names a secret: {@code <environment>/<name>} (the name may hold more slashes:
 * {@code production/db/password} is {@code db/password} in {@code production}) or its id.
 */
public record SecretRef(String id, String environment, String name) {

    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern ENVIRONMENT = Pattern.compile("[a-zA-Z0-9._-]{1,64}");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._/-]{1,255}");

    public static SecretRef parse(String text) {
        if (text == null || text.isBlank()) {
            throw new CliException(ExitCodes.USAGE, "name a secret as <environment>/<name> or by its id");
        }
        if (UUID.matcher(text).matches()) {
            return new SecretRef(text.toLowerCase(), null, null);
        }
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new CliException(ExitCodes.USAGE, "'" + text + "' is not <environment>/<name> or a secret id");
        }
        String environment = text.substring(0, slash);
        String name = text.substring(slash + 1);
        if (!ENVIRONMENT.matcher(environment).matches() || !NAME.matcher(name).matches()) {
            throw new CliException(ExitCodes.USAGE, "'" + text + "' is not <environment>/<name> (names: letters, digits, . _ / -)");
        }
        return new SecretRef(null, environment, name);
    }

    public boolean byName() {
        return id == null;
    }

    @Override
    public String toString() {
        return id != null ? id : environment + "/" + name;
    }

    /** The secret's metadata, found by id or by an exact name match in its environment; null when absent. */
    JsonNode find(Cli cli, boolean deleted) {
        if (id != null) {
            return deleted ? findDeletedById(cli) : cli.get(cli.endpoints.secrets(), "/v1/secrets/" + id);
        }
        String cursor = null;
        do {
            JsonNode page = cli.get(cli.endpoints.secrets(), "/v1/secrets"
                    + Http.query("environment", environment, "q", name, "limit", 500, "cursor", cursor, "deleted", deleted ? "true" : null));
            for (JsonNode item : page.path("items")) {
                if (name.equals(item.path("name").asText()) && environment.equals(item.path("environment").asText())) {
                    return item;
                }
            }
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return null;
    }

    private JsonNode findDeletedById(Cli cli) {
        String cursor = null;
        do {
            JsonNode page = cli.get(cli.endpoints.secrets(), "/v1/secrets" + Http.query("deleted", "true", "limit", 500, "cursor", cursor));
            for (JsonNode item : page.path("items")) {
                if (id.equals(item.path("id").asText())) {
                    return item;
                }
            }
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return null;
    }

    /** The secret's id; a clear not-found failure when there is none the caller can see. */
    String resolveId(Cli cli) {
        return resolve(cli, false).path("id").asText();
    }

    JsonNode resolve(Cli cli, boolean deleted) {
        JsonNode found = find(cli, deleted);
        if (found == null || found.isNull()) {
            throw new CliException(ExitCodes.NOT_FOUND, "no " + (deleted ? "deleted " : "") + "secret " + this + " that you can see");
        }
        return found;
    }
}
