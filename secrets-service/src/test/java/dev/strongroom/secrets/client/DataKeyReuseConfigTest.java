package dev.strongroom.secrets.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strongroom.secrets.config.SecretsConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DataKeyReuseConfigTest {

    private static SecretsConfig.DataKeyReuse config(long maxValues, Duration maxAge) {
        return new SecretsConfig.DataKeyReuse() {
            @Override
            public long maxValues() {
                return maxValues;
            }

            @Override
            public Duration maxAge() {
                return maxAge;
            }
        };
    }

    @Test
    void defaultsReuseAndZeroTurnsReuseOff() {
        assertThat(KeyServiceProducer.dataKeyReuse(config(100_000, Duration.ofMinutes(5))).enabled()).isTrue();
        assertThat(KeyServiceProducer.dataKeyReuse(config(0, Duration.ofMinutes(5))).enabled()).isFalse();
        assertThat(KeyServiceProducer.dataKeyReuse(config(100_000, Duration.ZERO)).enabled()).isFalse();
    }

    @Test
    void outOfRangeValuesFailNamingTheProperty() {
        assertThatThrownBy(() -> KeyServiceProducer.dataKeyReuse(config(-1, Duration.ofMinutes(5))))
                .hasMessageContaining("strongroom.secrets.data-key-reuse.max-values");
        assertThatThrownBy(() -> KeyServiceProducer.dataKeyReuse(config(1L << 30, Duration.ofMinutes(5))))
                .hasMessageContaining("0..16777216");
        assertThatThrownBy(() -> KeyServiceProducer.dataKeyReuse(config(10, Duration.ofSeconds(-1))))
                .hasMessageContaining("max-age must not be negative");
    }
}
