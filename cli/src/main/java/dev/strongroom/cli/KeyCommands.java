package dev.strongroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sr key …} for admins: key-encryption keys in key-service (never their material). */
@Command(name = "key", description = "Lists and rotates key-encryption keys (admin).")
final class KeyCommands {

    @Command(name = "list", description = "Lists the keys with their primary and minimum decryption versions.")
    void list() {
        Cli cli = Cli.get();
        JsonNode page = cli.get(cli.endpoints.keys(), "/v1/keys");
        cli.output().print(page, node -> {
            Output.Table table = new Output.Table("NAME", "ALGORITHM", "PRIMARY", "MIN_DECRYPTION", "AUTO_ROTATE", "VERSIONS");
            for (JsonNode key : node.path("items")) {
                table.row(Output.text(key, "name"), Output.text(key, "algorithm"), Output.text(key, "primaryVersion"),
                        Output.text(key, "minDecryptionVersion"), Output.text(key, "autoRotatePeriod"), key.path("versions").size());
            }
            return table;
        });
    }

    @Command(name = "rotate", description = "Makes a new primary version; older versions still decrypt.")
    void rotate(@Parameters(paramLabel = "NAME") String name) {
        Cli cli = Cli.get();
        if (!name.matches("[a-zA-Z0-9._-]{1,64}")) {
            throw new CliException(ExitCodes.USAGE, "'" + name + "' is not a key name");
        }
        JsonNode key = cli.call("POST", cli.endpoints.keys(), "/v1/keys/" + name + "/rotate", null);
        cli.output().done(key, "Rotated key " + name + ": primary version " + key.path("primaryVersion").asText());
    }
}
