package dev.strongroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sr secret …}: secrets are named {@code <environment>/<name>} or by id. */
@Command(name = "secret", description = "Store, read, version, delete and restore secrets (named <environment>/<name> or by id).")
final class SecretCommands {

    private static final String REF = "<environment>/<name> or the secret's id";

    @Command(name = "list", description = "Lists the secrets you can read (metadata only, never values).")
    void list(@Option(names = {"-e", "--environment"}) String environment,
            @Option(names = {"-q", "--prefix"}, description = "names starting with this") String prefix,
            @Option(names = "--tag", paramLabel = "KEY:VALUE", description = "only secrets with this tag (repeatable)") List<String> tags,
            @Option(names = "--type") String type,
            @Option(names = "--deleted", description = "list soft-deleted secrets instead") boolean deleted,
            @Option(names = "--limit", defaultValue = "50", description = "page size, 1-500 (default ${DEFAULT-VALUE})") int limit,
            @Option(names = "--cursor", description = "the nextCursor of an earlier page") String cursor) {
        Cli cli = Cli.get();
        JsonNode page = cli.get(cli.endpoints.secrets(), "/v1/secrets" + Http.query("environment", environment, "q", prefix,
                "tag", tags, "type", type, "deleted", deleted ? "true" : null, "limit", limit, "cursor", cursor));
        cli.output().print(page, node -> {
            Output.Table table = new Output.Table("NAME", "ENVIRONMENT", "TYPE", "VERSION", "UPDATED", "ID");
            for (JsonNode item : node.path("items")) {
                table.row(Output.text(item, "name"), Output.text(item, "environment"), Output.text(item, "type"),
                        Output.text(item, "currentVersion"), Output.text(item, "updatedAt"), Output.text(item, "id"));
            }
            return table;
        });
        if (!cli.output().json() && page.path("nextCursor").isTextual()) {
            cli.err.println("more: --cursor " + page.path("nextCursor").asText());
        }
    }

    @Command(name = "get", description = {"Prints a secret's value (audited as secret.read), or its metadata with --metadata.",
            "Table output is the bare value and a line break; --output json adds version and ids."})
    void get(@Parameters(paramLabel = "SECRET", description = REF) String ref,
            @Option(names = "--version", description = "an older version") Integer version,
            @Option(names = {"-m", "--metadata"}, description = "metadata instead of the value") boolean metadata,
            @Option(names = {"-n", "--no-newline"}, description = "no line break after the value") boolean noNewline) {
        Cli cli = Cli.get();
        SecretRef secret = SecretRef.parse(ref);
        if (metadata) {
            JsonNode found = secret.byName() ? secret.resolve(cli, false) : cli.get(cli.endpoints.secrets(), "/v1/secrets/" + secret.id());
            cli.output().print(found, node -> Output.Table.fields(node, "name", "environment", "id", "type", "description", "tags",
                    "currentVersion", "owner", "createdBy", "createdAt", "updatedAt", "expiresAt", "rotation"));
            return;
        }
        String path = secret.byName()
                ? "/v1/environments/" + Http.enc(secret.environment()) + "/secrets/" + secret.name() + "/value"
                : "/v1/secrets/" + secret.id() + "/value";
        JsonNode value = cli.get(cli.endpoints.secrets(), path + Http.query("version", version));
        if (cli.output().json()) {
            cli.output().printJson(value);
        } else {
            cli.out.print(value.path("value").asText());
            if (!noNewline) {
                cli.out.println();
            }
            cli.out.flush();
        }
    }

    @Command(name = "put", description = {"Stores a value: creates the secret, or adds a version to an existing one.",
            "The value comes from --from-file, --stdin or a hidden prompt, never from the command line.",
            "--type, --description and --tag apply when the secret is created; use patch later."})
    void put(@Parameters(paramLabel = "SECRET", description = "<environment>/<name>") String ref,
            @Mixin ValueOptions value,
            @Option(names = "--type", description = "e.g. password, api-key, certificate (at creation)") String type,
            @Option(names = "--description") String description,
            @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "(repeatable, at creation)") Map<String, String> tags,
            @Option(names = "--cas", description = "only if the current version is this one (check-and-set)") Integer cas) {
        Cli cli = Cli.get();
        SecretRef secret = SecretRef.parse(ref);
        JsonNode existing = secret.find(cli, false);
        String text = value.read(cli);
        if (existing != null && !existing.isNull()) {
            ObjectNode body = Http.JSON.createObjectNode().put("value", text);
            if (cas != null) {
                body.put("cas", cas);
            }
            JsonNode version = cli.call("PUT", cli.endpoints.secrets(), "/v1/secrets/" + existing.path("id").asText() + "/value", body);
            cli.output().done(version, "Stored " + describe(existing) + " version " + version.path("version").asText());
            return;
        }
        if (!secret.byName()) {
            throw new CliException(ExitCodes.NOT_FOUND, "no secret " + ref + " that you can see");
        }
        if (cas != null && cas != 0) {
            throw new CliException(ExitCodes.CONFLICT, secret + " does not exist, so --cas " + cas + " does not hold");
        }
        ObjectNode body = Http.JSON.createObjectNode()
                .put("name", secret.name())
                .put("environment", secret.environment())
                .put("value", text);
        if (type != null) {
            body.put("type", type);
        }
        if (description != null) {
            body.put("description", description);
        }
        if (tags != null && !tags.isEmpty()) {
            ObjectNode tagNode = body.putObject("tags");
            tags.forEach(tagNode::put);
        }
        JsonNode created = cli.call("POST", cli.endpoints.secrets(), "/v1/secrets", body);
        cli.output().done(created, "Created " + describe(created) + " version " + created.path("currentVersion").asText()
                + " (id " + created.path("id").asText() + ")");
    }

    @Command(name = "patch", description = "Changes metadata: description, tags, expiry, rotation schedule (never the value).")
    void patch(@Parameters(paramLabel = "SECRET", description = REF) String ref,
            @Option(names = "--description") String description,
            @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "add or change a tag (repeatable)") Map<String, String> tags,
            @Option(names = "--untag", paramLabel = "KEY", description = "remove a tag (repeatable)") List<String> untag,
            @Option(names = "--expires-at", paramLabel = "RFC3339|none") String expiresAt,
            @Option(names = "--rotate-every", paramLabel = "DAYS", description = "rotation interval in days; 0 removes the schedule") Integer rotateEvery) {
        Cli cli = Cli.get();
        JsonNode existing = SecretRef.parse(ref).resolve(cli, false);
        ObjectNode body = Http.JSON.createObjectNode();
        if (description != null) {
            body.put("description", description);
        }
        if ((tags != null && !tags.isEmpty()) || (untag != null && !untag.isEmpty())) {
            ObjectNode merged = body.putObject("tags");
            existing.path("tags").properties().forEach(e -> merged.set(e.getKey(), e.getValue()));
            if (tags != null) {
                tags.forEach(merged::put);
            }
            if (untag != null) {
                untag.forEach(merged::remove);
            }
        }
        if (expiresAt != null) {
            if ("none".equalsIgnoreCase(expiresAt)) {
                body.putNull("expiresAt");
            } else {
                body.put("expiresAt", expiresAt);
            }
        }
        if (rotateEvery != null) {
            if (rotateEvery == 0) {
                body.putNull("rotation");
            } else {
                ObjectNode rotation = body.putObject("rotation").put("intervalDays", rotateEvery);
                JsonNode generator = existing.path("rotation").path("generator");
                if (generator.isObject()) {
                    rotation.set("generator", generator);
                }
            }
        }
        if (body.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "nothing to change: give --description, --tag, --untag, --expires-at or --rotate-every");
        }
        JsonNode updated = cli.call("PATCH", cli.endpoints.secrets(), "/v1/secrets/" + existing.path("id").asText(), body);
        cli.output().done(updated, "Updated " + describe(updated));
    }

    @Command(name = "rotate", description = {"Makes a new version with a generated value (the secret's generator).",
            "Or give the value with --from-file, --stdin or --prompt."})
    void rotate(@Parameters(paramLabel = "SECRET", description = REF) String ref, @Mixin ValueOptions value) {
        Cli cli = Cli.get();
        SecretRef secret = SecretRef.parse(ref);
        String id = secret.byName() ? secret.resolveId(cli) : secret.id();
        ObjectNode body = Http.JSON.createObjectNode();
        if (value.given()) {
            body.put("value", value.read(cli));
        }
        JsonNode version = cli.call("POST", cli.endpoints.secrets(), "/v1/secrets/" + id + "/rotate", body);
        cli.output().done(version, "Rotated " + secret + ": version " + version.path("version").asText()
                + (value.given() ? "" : " (generated)"));
    }

    @Command(name = "rollback", description = "Makes a new version holding an earlier version's value.")
    void rollback(@Parameters(index = "0", paramLabel = "SECRET", description = REF) String ref,
            @Parameters(index = "1", paramLabel = "VERSION", description = "the version whose value comes back") int version) {
        Cli cli = Cli.get();
        SecretRef secret = SecretRef.parse(ref);
        String id = secret.byName() ? secret.resolveId(cli) : secret.id();
        JsonNode made = cli.call("POST", cli.endpoints.secrets(), "/v1/secrets/" + id + "/rollback",
                Http.JSON.createObjectNode().put("version", version));
        cli.output().done(made, "Rolled " + secret + " back to version " + version + ": now version " + made.path("version").asText());
    }

    @Command(name = "versions", description = "Lists a secret's versions (metadata, never values).")
    void versions(@Parameters(paramLabel = "SECRET", description = REF) String ref) {
        Cli cli = Cli.get();
        SecretRef secret = SecretRef.parse(ref);
        String id = secret.byName() ? secret.resolveId(cli) : secret.id();
        JsonNode page = cli.get(cli.endpoints.secrets(), "/v1/secrets/" + id + "/versions");
        cli.output().print(page, node -> {
            Output.Table table = new Output.Table("VERSION", "CREATED", "BY", "ORIGIN", "CURRENT", "DESTROYED");
            for (JsonNode v : node.path("items")) {
                table.row(Output.text(v, "version"), Output.text(v, "createdAt"), Output.text(v, "createdBy"),
                        Output.text(v, "origin") + (v.hasNonNull("rolledBackFrom") ? " from v" + v.get("rolledBackFrom").asText() : ""),
                        v.path("current").asBoolean() ? "yes" : "", v.path("destroyed").asBoolean() ? "yes" : "");
            }
            return table;
        });
    }

    @Command(name = "delete", description = "Soft-deletes a secret: hidden and unreadable until restored (ADMIN).")
    void delete(@Parameters(paramLabel = "SECRET", description = REF) String ref) {
        Cli cli = Cli.get();
        SecretRef secret = SecretRef.parse(ref);
        String id = secret.byName() ? secret.resolveId(cli) : secret.id();
        cli.call("DELETE", cli.endpoints.secrets(), "/v1/secrets/" + id, null);
        cli.output().done(Http.JSON.createObjectNode().put("id", id).put("deleted", true), "Deleted " + secret + " (sr secret restore undoes it)");
    }

    @Command(name = "restore", description = "Restores a soft-deleted secret (ADMIN).")
    void restore(@Parameters(paramLabel = "SECRET", description = REF) String ref) {
        Cli cli = Cli.get();
        SecretRef secret = SecretRef.parse(ref);
        String id = secret.byName() ? secret.resolve(cli, true).path("id").asText() : secret.id();
        JsonNode restored = cli.call("POST", cli.endpoints.secrets(), "/v1/secrets/" + id + "/restore", null);
        cli.output().done(restored, "Restored " + describe(restored));
    }

    @Command(name = "destroy", description = "Destroys one version's ciphertext for good (ADMIN). Asks first; --yes skips the question.")
    void destroy(@Parameters(index = "0", paramLabel = "SECRET", description = REF) String ref,
            @Parameters(index = "1", paramLabel = "VERSION") int version,
            @Option(names = {"-y", "--yes"}, description = "do not ask") boolean yes) {
        Cli cli = Cli.get();
        SecretRef secret = SecretRef.parse(ref);
        if (!yes) {
            if (!cli.prompter.interactive()) {
                throw new CliException(ExitCodes.USAGE, "destroying is permanent: add --yes");
            }
            String answer = cli.prompter.line("Destroy version " + version + " of " + secret + " for good? [y/N] ");
            if (!answer.strip().equalsIgnoreCase("y") && !answer.strip().equalsIgnoreCase("yes")) {
                throw new CliException(ExitCodes.ERROR, "not destroyed");
            }
        }
        String id = secret.byName() ? secret.resolveId(cli) : secret.id();
        cli.call("DELETE", cli.endpoints.secrets(), "/v1/secrets/" + id + "/versions/" + version, null);
        cli.output().done(Http.JSON.createObjectNode().put("id", id).put("version", version).put("destroyed", true),
                "Destroyed version " + version + " of " + secret);
    }

    static String describe(JsonNode secret) {
        return secret.path("environment").asText() + "/" + secret.path("name").asText();
    }

    static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }
}
