package dev.strongroom.common.kafka;

import java.util.Properties;
import org.eclipse.microprofile.config.Config;

/**
 * The deployment's Kafka client settings for the clients we create ourselves (outbox relays, the
 * audit log consumer, session revocations), as Quarkus gives them to its own channels: every
 * {@code kafka.*} property without the prefix, from a properties file
 * ({@code kafka.security.protocol=SASL_SSL}) or the environment ({@code KAFKA_SECURITY_PROTOCOL=SASL_SSL},
 * {@code KAFKA_SASL_JAAS_CONFIG=...}: SmallRye Config lists those under their dotted names).
 * Bootstrap servers, TLS ({@code ssl.*}) and SASL ({@code sasl.*}) thus reach every client;
 * docs/security.md, "Kafka TLS and SASL", has examples.
 */
public final class KafkaClientSettings {

    private KafkaClientSettings() {}

    /** The settings, e.g. {@code security.protocol}, {@code sasl.jaas.config}; Quarkus's own {@code kafka.health.*} left out. */
    public static Properties of(Config config) {
        Properties settings = new Properties();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("kafka.") && !name.startsWith("kafka.health")) {
                config.getOptionalValue(name, String.class).ifPresent(value -> settings.put(name.substring(6), value));
            }
        }
        return settings;
    }
}
