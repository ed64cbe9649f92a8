package dev.strongroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvCommandTest {

    private static final String AWKWARD = "it's a \"value\" with $HOME, `ticks`, \\ and\na second line";

    @Test
    void shellFormatSurvivesEvalByARealShellByteForByte() throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("AWKWARD", AWKWARD);
        values.put("PLAIN", "p4ss");
        String script = EnvCommand.render(values, EnvCommand.Format.shell) + "printf '%s|%s' \"$AWKWARD\" \"$PLAIN\"";
        Process sh = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String printed = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sh.waitFor()).isZero();
        assertThat(printed).isEqualTo(AWKWARD + "|p4ss");
    }

    @Test
    void dotenvQuotesAndEscapesEveryValue() {
        String text = EnvCommand.render(Map.of("A", AWKWARD), EnvCommand.Format.dotenv);
        assertThat(text).isEqualTo("A=\"it's a \\\"value\\\" with \\$HOME, `ticks`, \\\\ and\\na second line\"\n");
    }

    @Test
    void jsonIsOneObject() throws Exception {
        String text = EnvCommand.render(Map.of("A", AWKWARD), EnvCommand.Format.json);
        assertThat(Http.JSON.readTree(text).path("A").asText()).isEqualTo(AWKWARD);
    }
}
