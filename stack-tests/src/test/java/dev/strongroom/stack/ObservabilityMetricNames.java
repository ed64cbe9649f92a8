package dev.strongroom.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The metric names deploy/observability's alert rules and Grafana dashboards use, and the names a
 * service's /q/metrics exports, so LocalStackIT can require the first to be a subset of the second.
 */
final class ObservabilityMetricNames {

    /** Series Prometheus makes itself rather than scraping them. */
    static final Set<String> PROMETHEUS_OWN = Set.of("up");

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset", "atan2", "inf", "nan");
    private static final Pattern STRING = Pattern.compile("\"(\\\\.|[^\"\\\\])*\"|'(\\\\.|[^'\\\\])*'");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w:.$])([a-zA-Z_:][\\w:]*)(\\s*\\()?");

    private ObservabilityMetricNames() {
    }

    /** Metric names in a PromQL expression: identifiers that are not functions, keywords or label names. */
    static Set<String> metricNames(String promql) {
        String expr = STRING.matcher(promql).replaceAll("\"\"");
        expr = expr.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ").replaceAll("\\$\\{?\\w+}?", " ");
        expr = GROUPING.matcher(expr).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(expr);
        while (m.find()) {
            if (m.group(2) == null && !KEYWORDS.contains(m.group(1).toLowerCase())) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** Every metric name the rule files and dashboards under {@code dir} use -> where (file: alert or panel). */
    static Map<String, Set<String>> used(Path dir) throws IOException {
        Map<String, Set<String>> used = new TreeMap<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectMapper json = new ObjectMapper();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.endsWith(".json")) {
                for (JsonNode panel : panels(json.readTree(file.toFile()).path("panels"))) {
                    for (JsonNode target : panel.path("targets")) {
                        record(used, target.path("expr").asText(), name + ": panel " + panel.path("title").asText());
                    }
                }
            } else if (name.endsWith(".yaml") && !name.endsWith(".test.yaml")) {
                for (JsonNode group : yaml.readTree(file.toFile()).path("groups")) {
                    for (JsonNode rule : group.path("rules")) {
                        record(used, rule.path("expr").asText(), name + ": " + rule.path("alert").asText(rule.path("record").asText()));
                    }
                }
            }
        }
        return used;
    }

    /** Names in a Prometheus text exposition. */
    static Set<String> exported(String exposition) {
        Set<String> names = new TreeSet<>();
        exposition.lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
        return names;
    }

    private static List<JsonNode> panels(JsonNode panels) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : panels) {
            all.add(panel);
            all.addAll(panels(panel.path("panels")));
        }
        return all;
    }

    private static void record(Map<String, Set<String>> used, String expr, String where) {
        for (String metric : metricNames(expr)) {
            used.computeIfAbsent(metric, k -> new TreeSet<>()).add(where);
        }
    }
}
