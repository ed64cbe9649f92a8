package dev.strongroom.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The Splunk app in deploy/splunk is well-formed and agrees with what audit-service sends and alerts on. */
class SplunkAppTest {

    private static final Path APP = Path.of("..", "deploy", "splunk", "strongroom_audit");

    @Test
    void everyConfFileParses() throws IOException {
        try (Stream<Path> files = Files.walk(APP)) {
            List<Path> confs = files.filter(f -> f.toString().endsWith(".conf") || f.toString().endsWith(".meta")).toList();
            assertThat(confs).hasSizeGreaterThanOrEqualTo(6);
            for (Path conf : confs) {
                assertThat(conf(conf)).as(conf.toString()).isNotEmpty();
            }
        }
    }

    @Test
    void theSourcetypeIsJsonWithTimeFromHec() throws IOException {
        Map<String, String> props = conf(APP.resolve("default/props.conf")).get("strongroom:audit");
        assertThat(props).containsEntry("KV_MODE", "json").containsEntry("SHOULD_LINEMERGE", "false");
    }

    @Test
    void eventtypesAreTaggedForTheCimModels() throws IOException {
        Map<String, Map<String, String>> eventtypes = conf(APP.resolve("default/eventtypes.conf"));
        Map<String, Map<String, String>> tags = conf(APP.resolve("default/tags.conf"));
        assertThat(eventtypes.values()).allSatisfy(e -> assertThat(e.get("search")).contains("sourcetype=\"strongroom:audit\""));
        assertThat(tags.get("eventtype=strongroom_authentication")).containsEntry("authentication", "enabled");
        assertThat(tags.get("eventtype=strongroom_change")).containsEntry("change", "enabled");
        assertThat(tags.get("eventtype=strongroom_account_change")).containsEntry("account", "enabled");
        for (String tagged : tags.keySet()) {
            assertThat(eventtypes).containsKey(tagged.substring("eventtype=".length()));
        }
    }

    @Test
    void savedSearchesMirrorTheServiceThresholds() throws IOException {
        Map<String, Map<String, String>> searches = conf(APP.resolve("default/savedsearches.conf"));
        Properties defaults = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src", "main", "resources", "application.properties"))) {
            defaults.load(in);
        }
        assertMirrors(searches.get("Strongroom - Failed logins for one user"), defaults, "failed-logins", "failures");
        assertMirrors(searches.get("Strongroom - Secret read burst"), defaults, "read-burst", "reads");
        assertMirrors(searches.get("Strongroom - Denied access spike"), defaults, "denied-spike", "denied");
        assertThat(searches.get("Strongroom - Production secret shared").get("search")).contains("environment=\"production\"");
        assertThat(searches.values()).allSatisfy(s -> assertThat(s.get("search")).contains("dedup id"));
    }

    @Test
    void theDashboardIsWellFormedSimpleXmlWithItsPanels() throws Exception {
        Document dashboard = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(APP.resolve("default/data/ui/views/strongroom_audit_overview.xml").toFile());
        List<String> titles = new java.util.ArrayList<>();
        var nodes = dashboard.getElementsByTagName("title");
        for (int i = 0; i < nodes.getLength(); i++) {
            titles.add(nodes.item(i).getTextContent());
        }
        assertThat(titles).contains("Activity overview", "Secret access frequency", "Failed logins", "Shares", "Alerts");
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(APP.resolve("default/data/ui/nav/default.xml").toFile());
    }

    private static void assertMirrors(Map<String, String> search, Properties defaults, String rule, String field) {
        String count = defaults.getProperty("strongroom.audit.alerts." + rule + ".count");
        String window = defaults.getProperty("strongroom.audit.alerts." + rule + ".window");
        assertThat(search.get("search")).contains("where " + field + " >= " + count);
        assertThat(search.get("dispatch.earliest_time")).isEqualTo("-" + window);
    }

    /** A .conf file: stanzas of key = value lines; comments with #. Fails on anything else. */
    static Map<String, Map<String, String>> conf(Path file) throws IOException {
        Map<String, Map<String, String>> stanzas = new LinkedHashMap<>();
        Map<String, String> current = null;
        Pattern stanza = Pattern.compile("\\[(.*)]");
        Pattern setting = Pattern.compile("([A-Za-z0-9_.:\\-]+)\\s*=\\s*(.*)");
        int number = 0;
        for (String line : Files.readAllLines(file)) {
            number++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            Matcher s = stanza.matcher(trimmed);
            Matcher kv = setting.matcher(trimmed);
            if (s.matches()) {
                current = new LinkedHashMap<>();
                stanzas.put(s.group(1), current);
            } else if (kv.matches() && current != null) {
                current.put(kv.group(1), kv.group(2));
            } else {
                throw new AssertionError(file + ":" + number + " is not a stanza or a setting: " + line);
            }
        }
        return stanzas;
    }
}
