package dev.strongroom.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** strongroom.db.tls-mode and -ca reach both database clients, resolved like a service resolves them. */
class DatabaseTlsConfigSourceFactoryTest {

    private static SmallRyeConfig config(Map<String, String> settings) throws Exception {
        URL defaults = DatabaseTlsConfigSourceFactory.class.getResource("/META-INF/microprofile-config.properties");
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(defaults, 100))
                .withSources(new PropertiesConfigSource(Map.of("strongroom.db.name", "strongroom_keys"), "test-name", 250))
                .withSources(new PropertiesConfigSource(settings, "test", 300))
                .withSources(new DatabaseTlsConfigSourceFactory())
                .build();
    }

    @Test
    void byDefaultNeitherClientIsAskedForTls() throws Exception {
        SmallRyeConfig config = config(Map.of());
        assertThat(config.getValue("quarkus.datasource.jdbc.url", String.class))
                .isEqualTo("jdbc:mariadb://127.0.0.1:3306/strongroom_keys?createDatabaseIfNotExist=true");
        assertThat(config.getOptionalValue("quarkus.datasource.reactive.mysql.ssl-mode", String.class)).isEmpty();
    }

    @Test
    void verifyFullWithACaVerifiesCaAndHostNameOnBothClients() throws Exception {
        SmallRyeConfig config = config(Map.of("strongroom.db.tls-mode", "verify-full", "strongroom.db.tls-ca", "/etc/db/ca.crt"));
        assertThat(config.getValue("quarkus.datasource.jdbc.url", String.class))
                .endsWith("?createDatabaseIfNotExist=true&sslMode=verify-full&serverSslCert=/etc/db/ca.crt");
        assertThat(config.getValue("quarkus.datasource.reactive.mysql.ssl-mode", String.class)).isEqualTo("verify_identity");
        assertThat(config.getValue("quarkus.datasource.reactive.trust-certificate-pem.certs", String.class)).isEqualTo("/etc/db/ca.crt");
        assertThat(config.getOptionalValue("quarkus.datasource.reactive.trust-all", Boolean.class)).isEmpty();
    }

    @Test
    void trustEncryptsWithoutVerifyingAndVerifyCaUsesTheJvmTrustWithoutACa() throws Exception {
        SmallRyeConfig trust = config(Map.of("strongroom.db.tls-mode", "trust"));
        assertThat(trust.getValue("quarkus.datasource.jdbc.url", String.class)).endsWith("&sslMode=trust");
        assertThat(trust.getValue("quarkus.datasource.reactive.mysql.ssl-mode", String.class)).isEqualTo("required");
        assertThat(trust.getValue("quarkus.datasource.reactive.trust-all", Boolean.class)).isTrue();

        SmallRyeConfig verifyCa = config(Map.of("strongroom.db.tls-mode", "verify-ca"));
        assertThat(verifyCa.getValue("quarkus.datasource.jdbc.url", String.class)).endsWith("&sslMode=verify-ca");
        assertThat(verifyCa.getValue("quarkus.datasource.reactive.mysql.ssl-mode", String.class)).isEqualTo("verify_ca");
        assertThat(verifyCa.getOptionalValue("quarkus.datasource.reactive.trust-certificate-pem.certs", String.class)).isEmpty();
    }

    @Test
    void anExplicitQuarkusSettingStillWins() throws Exception {
        SmallRyeConfig config = config(Map.of("strongroom.db.tls-mode", "verify-full",
                "quarkus.datasource.reactive.mysql.ssl-mode", "verify_ca"));
        assertThat(config.getValue("quarkus.datasource.reactive.mysql.ssl-mode", String.class)).isEqualTo("verify_ca");
    }

    @Test
    void anUnknownModeFailsNamingTheChoices() {
        assertThatThrownBy(() -> config(Map.of("strongroom.db.tls-mode", "required")))
                .hasStackTraceContaining("strongroom.db.tls-mode must be one of [disable, trust, verify-ca, verify-full]");
    }
}
