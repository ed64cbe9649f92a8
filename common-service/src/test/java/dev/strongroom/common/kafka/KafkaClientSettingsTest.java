package dev.strongroom.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Every client we create gets the deployment's Kafka TLS and SASL settings, from a file or the environment (docs/security.md). */
class KafkaClientSettingsTest {

    @Test
    void takesKafkaSettingsFromPropertiesAndFromEnvironmentVariables() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(Map.of(
                        "kafka.bootstrap.servers", "broker-1:9093",
                        "kafka.security.protocol", "SSL",
                        "kafka.ssl.truststore.type", "PEM",
                        "kafka.health.enabled", "true",
                        "quarkus.kafka.devservices.enabled", "false",
                        "strongroom.kafka.bootstrap", "ignored:1"), "file", 250))
                .withSources(new EnvConfigSource(Map.of(
                        "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                        "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                        "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"a\" password=\"b\";",
                        "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/strongroom/kafka-ca/ca.crt",
                        "PATH", "/usr/bin"), 300))
                .build();

        Properties settings = KafkaClientSettings.of(config);

        assertThat(settings).containsEntry("bootstrap.servers", "broker-1:9093")
                .containsEntry("security.protocol", "SASL_SSL") // the environment wins, as everywhere in Quarkus
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"a\" password=\"b\";")
                .containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("ssl.truststore.location", "/etc/strongroom/kafka-ca/ca.crt");
        assertThat(settings.keySet()).allSatisfy(key -> assertThat((String) key).doesNotStartWith("health").doesNotContain("_"));
        assertThat(settings).hasSize(6);
    }
}
