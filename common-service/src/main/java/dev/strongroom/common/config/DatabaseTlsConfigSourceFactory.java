package dev.strongroom.common.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns the one database TLS knob into the settings of both database clients, which name the same thing
 * differently: Flyway's JDBC driver (MariaDB Connector/J {@code sslMode}, {@code serverSslCert}) and Hibernate
 * Reactive's Vert.x MySQL client ({@code quarkus.datasource.reactive.mysql.ssl-mode}, trust PEM).
 * <ul>
 *   <li>{@code strongroom.db.tls-mode}: {@code disable} (default), {@code trust} (encrypted, server not
 *       verified), {@code verify-ca} (certificate signed by the CA) or {@code verify-full} (CA and host name);</li>
 *   <li>{@code strongroom.db.tls-ca}: PEM file of the CA the server's certificate must chain to (verify-ca and
 *       verify-full; default the JVM's trust store).</li>
 * </ul>
 * The derived settings sit just above the shared defaults (ordinal {@value #ORDINAL}): a service's own
 * application.properties, the environment and system properties still override each of them.
 */
public class DatabaseTlsConfigSourceFactory implements ConfigSourceFactory {

    static final int ORDINAL = 150;
    static final List<String> MODES = List.of("disable", "trust", "verify-ca", "verify-full");

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String mode = value(context, "strongroom.db.tls-mode");
        String ca = value(context, "strongroom.db.tls-ca");
        return List.of(new PropertiesConfigSource(settings(mode, ca), "strongroom.db.tls-mode", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    /** The derived settings for this mode and CA file (null: unset); an unknown mode fails naming the choices. */
    static Map<String, String> settings(String mode, String ca) {
        Map<String, String> settings = new HashMap<>();
        String chosen = mode == null || mode.isBlank() ? "disable" : mode.trim().toLowerCase(Locale.ROOT);
        if (!MODES.contains(chosen)) {
            throw new IllegalArgumentException("strongroom.db.tls-mode must be one of " + MODES + ", not " + mode);
        }
        if (chosen.equals("disable")) {
            return settings;
        }
        boolean verify = chosen.startsWith("verify");
        boolean withCa = verify && ca != null && !ca.isBlank();
        String jdbc = "&sslMode=" + chosen + (withCa ? "&serverSslCert=" + ca.trim() : "");
        settings.put("strongroom.db.jdbc-tls-options", jdbc);
        settings.put("quarkus.datasource.reactive.mysql.ssl-mode", switch (chosen) {
            case "trust" -> "required";
            case "verify-ca" -> "verify_ca";
            default -> "verify_identity";
        });
        if (chosen.equals("trust")) {
            settings.put("quarkus.datasource.reactive.trust-all", "true");
        }
        if (withCa) {
            settings.put("quarkus.datasource.reactive.trust-certificate-pem", "true");
            settings.put("quarkus.datasource.reactive.trust-certificate-pem.certs", ca.trim());
        }
        return settings;
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null ? null : value.getValue();
    }
}
