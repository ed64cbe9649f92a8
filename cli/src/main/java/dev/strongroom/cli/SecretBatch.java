package dev.strongroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads several secrets for {@code sr run}, {@code sr env} and {@code sr agent}: mappings
 * {@code TARGET=<environment>/<name>}, read with one {@code POST /v1/secrets/values:batchGet} per environment.
 */
final class SecretBatch {

    /** A target (variable or file name) and the secret it gets. */
    record Mapping(String target, String environment, String name) {
        String secret() {
            return environment + "/" + name;
        }
    }

    /** What a read gave: values and versions by target. {@code toString} shows no value. */
    record Result(Map<String, String> values, Map<String, Integer> versions) {
        @Override
        public String toString() {
            return "Result[targets=" + values.keySet() + ", versions=" + versions + "]";
        }
    }

    static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private SecretBatch() {}

    /** Parses {@code TARGET=<environment>/<name>}; {@code targetPattern} checks the target. */
    static Mapping parse(String text, Pattern targetPattern, String what) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new CliException(ExitCodes.USAGE, "'" + text + "' is not " + what.toUpperCase() + "=<environment>/<name>");
        }
        String target = text.substring(0, eq);
        if (!targetPattern.matcher(target).matches()) {
            throw new CliException(ExitCodes.USAGE, "'" + target + "' is not a valid " + what.toLowerCase());
        }
        SecretRef ref = SecretRef.parse(text.substring(eq + 1));
        if (!ref.byName()) {
            throw new CliException(ExitCodes.USAGE, "name the secret of " + target + " as <environment>/<name>");
        }
        return new Mapping(target, ref.environment(), ref.name());
    }

    static List<Mapping> parseAll(List<String> texts, Pattern targetPattern, String what) {
        List<Mapping> mappings = new ArrayList<>();
        for (String text : texts == null ? List.<String>of() : texts) {
            Mapping mapping = parse(text, targetPattern, what);
            if (mappings.stream().anyMatch(m -> m.target().equals(mapping.target()))) {
                throw new CliException(ExitCodes.USAGE, what + " " + mapping.target() + " is given twice");
            }
            mappings.add(mapping);
        }
        return mappings;
    }

    /**
     * Reads every mapping's secret with {@code token}. Names absent, not readable or expired fail the whole read,
     * naming them (never their values).
     */
    static Result read(Cli cli, String token, List<Mapping> mappings, String who) {
        Map<String, List<Mapping>> byEnvironment = new LinkedHashMap<>();
        for (Mapping mapping : mappings) {
            byEnvironment.computeIfAbsent(mapping.environment(), k -> new ArrayList<>()).add(mapping);
        }
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Integer> versions = new LinkedHashMap<>();
        TreeSet<String> missing = new TreeSet<>();
        TreeSet<String> expired = new TreeSet<>();
        for (var entry : byEnvironment.entrySet()) {
            ObjectNode body = Http.JSON.createObjectNode().put("environment", entry.getKey());
            var names = body.putArray("names");
            entry.getValue().stream().map(Mapping::name).distinct().forEach(names::add);
            Http.Answer answer = cli.http.send("POST", Cli.at(cli.endpoints.secrets(), "/v1/secrets/values:batchGet"), body, token);
            if (!answer.ok()) {
                throw Problems.toException(answer.status(), answer.body());
            }
            JsonNode result = answer.json();
            result.path("missing").forEach(n -> missing.add(entry.getKey() + "/" + n.asText()));
            result.path("expired").forEach(n -> expired.add(entry.getKey() + "/" + n.asText()));
            for (Mapping mapping : entry.getValue()) {
                JsonNode value = result.path("values").get(mapping.name());
                if (value != null && value.isTextual()) {
                    values.put(mapping.target(), value.asText());
                    versions.put(mapping.target(), result.path("versions").path(mapping.name()).asInt(0));
                }
            }
        }
        if (!missing.isEmpty() || !expired.isEmpty()) {
            StringBuilder message = new StringBuilder();
            if (!missing.isEmpty()) {
                message.append("not found or not readable by ").append(who).append(": ").append(String.join(", ", missing));
            }
            if (!expired.isEmpty()) {
                message.append(message.isEmpty() ? "" : "; ").append("expired: ").append(String.join(", ", expired));
            }
            throw new CliException(ExitCodes.NOT_FOUND, message.toString());
        }
        return new Result(values, versions);
    }
}
