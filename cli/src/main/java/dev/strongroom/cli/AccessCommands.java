package dev.strongroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sr access …}: a secret's grants (ADMIN on the secret). */
@Command(name = "access", description = "Shows and changes who may do what with a secret (needs ADMIN on it).")
final class AccessCommands {

    static final Set<String> PERMISSIONS = Set.of("READ", "WRITE", "ROTATE", "SHARE", "ADMIN");
    private static final Pattern PRINCIPAL = Pattern.compile("(user|role|service|workload):.+");

    @Command(name = "get", description = "Lists the owner and the grants of a secret.")
    void get(@Parameters(paramLabel = "SECRET", description = "<environment>/<name> or id") String ref) {
        Cli cli = Cli.get();
        JsonNode access = cli.get(cli.endpoints.secrets(), "/v1/secrets/" + id(cli, ref) + "/access");
        cli.output().print(access, AccessCommands::table);
    }

    @Command(name = "grant", description = {"Adds permissions for a principal.",
            "Principals: user:<name>, role:<role>, service:<name>, workload:<namespace>/<serviceaccount>.",
            "Permissions: READ, WRITE, ROTATE, SHARE, ADMIN."})
    void grant(@Parameters(index = "0", paramLabel = "SECRET") String ref,
            @Parameters(index = "1", paramLabel = "PRINCIPAL") String principal,
            @Parameters(index = "2..*", arity = "1..*", paramLabel = "PERMISSION") List<String> permissions) {
        change(ref, principal, permissions, true);
    }

    @Command(name = "revoke", description = "Removes permissions of a principal (all of them when none are named).")
    void revoke(@Parameters(index = "0", paramLabel = "SECRET") String ref,
            @Parameters(index = "1", paramLabel = "PRINCIPAL") String principal,
            @Parameters(index = "2..*", arity = "0..*", paramLabel = "PERMISSION") List<String> permissions) {
        change(ref, principal, permissions == null ? List.of() : permissions, false);
    }

    private static void change(String ref, String principal, List<String> permissions, boolean add) {
        if (!PRINCIPAL.matcher(principal).matches()) {
            throw new CliException(ExitCodes.USAGE, "'" + principal + "' is not user:<name>, role:<role>, service:<name> or workload:<ns>/<sa>");
        }
        Set<String> named = new LinkedHashSet<>();
        for (String permission : permissions) {
            String upper = permission.toUpperCase(Locale.ROOT);
            if (!PERMISSIONS.contains(upper)) {
                throw new CliException(ExitCodes.USAGE, "'" + permission + "' is not one of READ, WRITE, ROTATE, SHARE, ADMIN");
            }
            named.add(upper);
        }
        Cli cli = Cli.get();
        String id = id(cli, ref);
        JsonNode current = cli.get(cli.endpoints.secrets(), "/v1/secrets/" + id + "/access");
        Map<String, Set<String>> grants = new LinkedHashMap<>();
        for (JsonNode grant : current.path("grants")) {
            Set<String> set = grants.computeIfAbsent(grant.path("principal").asText(), k -> new LinkedHashSet<>());
            grant.path("permissions").forEach(p -> set.add(p.asText()));
        }
        Set<String> mine = grants.computeIfAbsent(principal, k -> new LinkedHashSet<>());
        if (add) {
            mine.addAll(named);
        } else if (named.isEmpty()) {
            mine.clear();
        } else {
            mine.removeAll(named);
        }
        ObjectNode body = Http.JSON.createObjectNode();
        ArrayNode list = body.putArray("grants");
        grants.forEach((who, perms) -> {
            if (!perms.isEmpty()) {
                ObjectNode grant = list.addObject().put("principal", who);
                perms.forEach(grant.putArray("permissions")::add);
            }
        });
        JsonNode updated = cli.call("PUT", cli.endpoints.secrets(), "/v1/secrets/" + id + "/access", body);
        cli.output().print(updated, AccessCommands::table);
    }

    private static String id(Cli cli, String ref) {
        SecretRef secret = SecretRef.parse(ref);
        return secret.byName() ? secret.resolveId(cli) : secret.id();
    }

    private static Output.Table table(JsonNode access) {
        Output.Table table = new Output.Table("PRINCIPAL", "PERMISSIONS");
        if (access.hasNonNull("owner")) {
            table.row(access.get("owner").asText() + " (owner)", "all");
        }
        for (JsonNode grant : access.path("grants")) {
            List<String> perms = new ArrayList<>();
            grant.path("permissions").forEach(p -> perms.add(p.asText()));
            table.row(grant.path("principal").asText(), String.join(",", perms));
        }
        return table;
    }
}
