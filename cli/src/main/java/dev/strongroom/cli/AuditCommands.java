package dev.strongroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sr audit …} for auditors and admins. */
@Command(name = "audit", description = "Reads the audit log and verifies its hash chains (auditor or admin).")
final class AuditCommands {

    @Command(name = "events", description = "Lists audit events, newest first.")
    void events(@Option(names = "--actor") String actor,
            @Option(names = "--action", description = "e.g. secret.read") String action,
            @Option(names = "--resource", description = "a resource id") String resourceId,
            @Option(names = "--outcome", description = "success, failure or denied") String outcome,
            @Option(names = "--from", description = "RFC 3339") String from,
            @Option(names = "--to", description = "RFC 3339") String to,
            @Option(names = "--limit", defaultValue = "50") int limit,
            @Option(names = "--cursor") String cursor) {
        Cli cli = Cli.get();
        JsonNode page = cli.get(cli.endpoints.audit(), "/v1/audit/events" + Http.query("actor", actor, "action", action,
                "resourceId", resourceId, "outcome", outcome, "from", from, "to", to, "limit", limit, "cursor", cursor));
        cli.output().print(page, node -> {
            Output.Table table = new Output.Table("TIME", "ACTION", "OUTCOME", "ACTOR", "RESOURCE");
            for (JsonNode event : node.path("items")) {
                JsonNode data = event.path("data");
                JsonNode resource = data.path("resource");
                String what = resource.hasNonNull("name")
                        ? (resource.hasNonNull("environment") ? resource.get("environment").asText() + "/" : "") + resource.get("name").asText()
                        : Output.text(resource, "id");
                if (resource.hasNonNull("version")) {
                    what += " v" + resource.get("version").asText();
                }
                table.row(Output.text(event, "time"), Output.text(data, "action"), Output.text(data, "outcome"),
                        Output.text(data.path("actor"), "name"), what);
            }
            return table;
        });
        if (!cli.output().json() && page.path("nextCursor").isTextual()) {
            cli.err.println("more: --cursor " + page.path("nextCursor").asText());
        }
    }

    @Command(name = "verify", description = "Verifies the audit log's hash chains; exits 10 when one is broken.")
    int verify() {
        Cli cli = Cli.get();
        JsonNode report = cli.get(cli.endpoints.audit(), "/v1/audit/integrity");
        boolean ok = report.path("ok").asBoolean(false);
        cli.output().done(report, ok ? "Audit log intact: " + report.path("checked").asText() + " records checked"
                : "Audit log BROKEN at " + Output.text(report, "firstBroken") + " (" + report.path("checked").asText() + " records checked)");
        return ok ? ExitCodes.OK : ExitCodes.INTEGRITY;
    }
}
