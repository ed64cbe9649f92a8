package dev.strongroom.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactedTest {

    private static final String VALUE = "hunter2-correct-horse";

    @Test
    void neverShowsContentInStringsOrJson() throws Exception {
        Redacted secret = Redacted.of(VALUE);
        assertThat(secret.toString()).isEqualTo(Redacted.MASK);
        assertThat("value=" + secret).doesNotContain(VALUE);
        assertThat(new ObjectMapper().writeValueAsString(Map.of("value", secret)))
                .isEqualTo("{\"value\":\"********\"}");
    }

    @Test
    void revealsContentOnlyOnRequestAndForgetsItWhenWiped() {
        Redacted secret = Redacted.of(VALUE);
        assertThat(secret.revealAsString()).isEqualTo(VALUE);
        assertThat(secret).isEqualTo(Redacted.of(VALUE)).isNotEqualTo(Redacted.of("other"));
        secret.wipe();
        assertThat(secret.reveal()).containsOnly(0);
    }
}
