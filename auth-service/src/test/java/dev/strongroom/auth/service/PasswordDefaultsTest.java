package dev.strongroom.auth.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strongroom.auth.config.AuthConfig;
import io.smallrye.config.WithDefault;
import org.junit.jupiter.api.Test;

/** auth-service's password hashing defaults are OWASP's Argon2id parameters (common-crypto's defaults). */
class PasswordDefaultsTest {

    @Test
    void productionParametersAreTheConfigDefaults() throws Exception {
        assertThat(AuthConfig.Argon2.class.getMethod("memoryKib").getAnnotation(WithDefault.class).value()).isEqualTo("19456");
        assertThat(AuthConfig.Argon2.class.getMethod("iterations").getAnnotation(WithDefault.class).value()).isEqualTo("2");
        assertThat(AuthConfig.Argon2.class.getMethod("parallelism").getAnnotation(WithDefault.class).value()).isEqualTo("1");
    }
}
