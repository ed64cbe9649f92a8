package dev.strongroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sr share …}: expiring, view-limited links to one secret value. */
@Command(name = "share", description = "Creates, lists, revokes and opens expiring one-time share links.")
final class ShareCommands {

    @Command(name = "create", description = {"Makes a share link to a secret's value (needs SHARE on it).",
            "The key after '#' is never stored by the server: whoever has the whole link can open it."})
    void create(@Parameters(paramLabel = "SECRET", description = "<environment>/<name> or id") String ref,
            @Option(names = "--version", description = "default: the current version") Integer version,
            @Option(names = "--ttl", defaultValue = "1h", description = "lifetime, 60s to 7d as 90s, 30m, 2h, 1d (default ${DEFAULT-VALUE})") String ttl,
            @Option(names = "--views", defaultValue = "1", description = "how many opens, 1-100 (default ${DEFAULT-VALUE})") int views,
            @Option(names = "--passphrase", description = "also require a passphrase (asked, hidden)") boolean passphrase) {
        Cli cli = Cli.get();
        SecretRef secret = SecretRef.parse(ref);
        String id = secret.byName() ? secret.resolveId(cli) : secret.id();
        ObjectNode body = Http.JSON.createObjectNode()
                .put("secretId", id)
                .put("ttlSeconds", seconds(ttl))
                .put("maxViews", views);
        if (version != null) {
            body.put("version", version);
        }
        if (passphrase) {
            body.put("passphrase", cli.prompter.newSecret("Passphrase: "));
        }
        JsonNode share = cli.call("POST", cli.endpoints.sharing(), "/v1/shares", body);
        if (cli.output().json()) {
            cli.output().printJson(share);
        } else {
            cli.out.println(share.path("url").asText());
            cli.err.println("share " + share.path("id").asText() + ": " + share.path("maxViews").asText() + " view(s), expires "
                    + share.path("expiresAt").asText());
        }
    }

    @Command(name = "list", description = "Lists your shares (never their links).")
    void list() {
        Cli cli = Cli.get();
        JsonNode page = cli.get(cli.endpoints.sharing(), "/v1/shares");
        cli.output().print(page, node -> {
            Output.Table table = new Output.Table("ID", "SECRET", "STATE", "VIEWS_LEFT", "EXPIRES", "CREATED");
            for (JsonNode share : node.path("items")) {
                String secret = share.hasNonNull("secretName")
                        ? Output.text(share, "environment") + "/" + share.get("secretName").asText() + " v" + Output.text(share, "version")
                        : Output.text(share, "secretId");
                table.row(Output.text(share, "id"), secret, Output.text(share, "state"),
                        Output.text(share, "viewsLeft"), Output.text(share, "expiresAt"), Output.text(share, "createdAt"));
            }
            return table;
        });
    }

    @Command(name = "revoke", description = "Revokes a share: its link stops opening.")
    void revoke(@Parameters(paramLabel = "SHARE_ID") String id) {
        Cli cli = Cli.get();
        if (!id.matches("[0-9a-fA-F-]{36}")) {
            throw new CliException(ExitCodes.USAGE, "'" + id + "' is not a share id (sr share list shows them)");
        }
        cli.call("DELETE", cli.endpoints.sharing(), "/v1/shares/" + id, null);
        cli.output().done(Http.JSON.createObjectNode().put("id", id).put("revoked", true), "Revoked share " + id);
    }

    @Command(name = "open", description = {"Opens a share link: spends one view and decrypts here with the key after '#'.",
            "No login needed. Prints the value (table) or {value, viewsLeft} (json)."})
    void open(@Parameters(paramLabel = "URL", description = "the whole link, with its #key (quote it in a shell)") String url,
            @Option(names = "--passphrase", description = "the share has a passphrase (asked, hidden)") boolean passphrase,
            @Option(names = {"-n", "--no-newline"}, description = "no line break after the value") boolean noNewline) {
        Cli cli = Cli.get();
        ShareOpener.Link link = ShareOpener.parse(url);
        ObjectNode body = Http.JSON.createObjectNode();
        if (passphrase) {
            body.put("passphrase", cli.prompter.secret("Passphrase: "));
        }
        Http.Answer answer = cli.http.send("POST", Cli.at(link.base(), "/v1/shares/" + link.token() + "/open"), body, null);
        if (!answer.ok()) {
            throw Problems.toException(answer.status(), answer.body());
        }
        JsonNode opened = answer.json();
        String value = ShareOpener.open(link.key(), opened.path("id").asText(), opened.path("ciphertext").asText());
        if (cli.output().json()) {
            cli.output().printJson(Http.JSON.createObjectNode().put("value", value).put("viewsLeft", opened.path("viewsLeft").asInt()));
        } else {
            cli.out.print(value);
            if (!noNewline) {
                cli.out.println();
            }
            cli.out.flush();
            cli.err.println(opened.path("viewsLeft").asInt() + " view(s) left");
        }
    }

    static long seconds(String ttl) {
        String t = ttl.strip().toLowerCase();
        if (t.endsWith("d")) {
            try {
                return java.time.Duration.ofDays(Long.parseLong(t.substring(0, t.length() - 1))).toSeconds();
            } catch (NumberFormatException e) {
                throw new CliException(ExitCodes.USAGE, "--ttl " + ttl + " is not a duration like 90s, 30m, 2h or 1d");
            }
        }
        try {
            return AgentCommand.duration(t, "--ttl").toSeconds();
        } catch (CliException e) {
            throw new CliException(ExitCodes.USAGE, "--ttl " + ttl + " is not a duration like 90s, 30m, 2h or 1d");
        }
    }
}
