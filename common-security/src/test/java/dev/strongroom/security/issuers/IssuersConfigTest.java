package dev.strongroom.security.issuers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strongroom.security.CallerAugmentorAccess;
import io.quarkus.oidc.runtime.OidcConfig;
import io.quarkus.oidc.runtime.OidcTenantConfig;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.quarkus.runtime.configuration.DurationConverter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The documented environment-variable forms of a gateway issuer configure the same as the properties. */
class IssuersConfigTest {

    @Test
    void environmentVariablesConfigureATenantAndItsCallerMapping() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(Map.of(
                        "QUARKUS_OIDC_KEYCLOAK_AUTH_SERVER_URL", "https://sso.example.com/realms/acme",
                        "QUARKUS_OIDC_KEYCLOAK_TOKEN_ISSUER", "https://sso.example.com/realms/acme",
                        "QUARKUS_OIDC_KEYCLOAK_TOKEN_AUDIENCE", "strongroom",
                        "STRONGROOM_SECURITY_ISSUERS_KEYCLOAK_ROLE_MAP", "strongroom-admins=admin,strongroom-users=user",
                        "STRONGROOM_SECURITY_ISSUERS_KEYCLOAK_ALLOWED_ROLES", "user,admin",
                        "STRONGROOM_SECURITY_ISSUERS_KEYCLOAK_QUALIFY_NAMES", "false"), 300))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(OidcConfig.class)
                .withMapping(IssuersConfig.class)
                .build();

        OidcTenantConfig tenant = config.getConfigMapping(OidcConfig.class).namedTenants().get("keycloak");
        assertThat(tenant.authServerUrl()).contains("https://sso.example.com/realms/acme");
        assertThat(tenant.token().issuer()).contains("https://sso.example.com/realms/acme");
        assertThat(tenant.token().audience()).contains(List.of("strongroom"));
        assertThat(IssuerTenantResolver.tenantsByIssuer(config.getConfigMapping(OidcConfig.class), "strongroom"))
                .isEqualTo(Map.of("https://sso.example.com/realms/acme", "keycloak"));

        IssuersConfig.Issuer issuer = config.getConfigMapping(IssuersConfig.class).tenants().get("keycloak");
        assertThat(issuer.roleMap()).contains(List.of("strongroom-admins=admin", "strongroom-users=user"));
        assertThat(issuer.allowedRoles()).containsExactly("user", "admin");
        assertThat(issuer.qualifyNames()).isFalse();
    }

    @Test
    void anUnconfiguredTenantGetsTheSafeDefaults() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(IssuersConfig.class).build();
        IssuersConfig.Issuer issuer = config.getConfigMapping(IssuersConfig.class).tenants().get("partner");
        assertThat(issuer.allowedRoles()).containsExactly("user");
        assertThat(issuer.roleMap()).isEmpty();
        assertThat(issuer.qualifyNames()).isTrue();
    }

    @Test
    void aGatewayTenantWithoutAudienceFailsStartUp() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(Map.of(
                        "QUARKUS_OIDC_AUTH_SERVER_URL", "http://127.0.0.1:8081/v1/auth/jwks",
                        "QUARKUS_OIDC_LAX_AUTH_SERVER_URL", "https://sso.example.com/realms/lax",
                        "QUARKUS_OIDC_OFF_AUTH_SERVER_URL", "https://sso.example.com/realms/off",
                        "QUARKUS_OIDC_OFF_TENANT_ENABLED", "false"), 300))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(OidcConfig.class)
                .build();
        OidcConfig oidc = config.getConfigMapping(OidcConfig.class);
        assertThat(IssuerTenantResolver.gatewayTenants(oidc)).containsOnlyKeys("lax");
        assertThatThrownBy(() -> IssuerTenantResolver.check(oidc))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("quarkus.oidc.lax.token.audience must be set");
    }

    @Test
    void twoTenantsNamingOneIssuerFailStartUp() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(Map.of(
                        "QUARKUS_OIDC_ONE_AUTH_SERVER_URL", "https://sso.example.com/realms/acme",
                        "QUARKUS_OIDC_ONE_TOKEN_ISSUER", "https://sso.example.com/realms/acme",
                        "QUARKUS_OIDC_TWO_AUTH_SERVER_URL", "https://sso.example.com/realms/acme",
                        "QUARKUS_OIDC_TWO_TOKEN_ISSUER", "https://sso.example.com/realms/acme",
                        "QUARKUS_OIDC_THREE_AUTH_SERVER_URL", "https://other.example.com",
                        "QUARKUS_OIDC_THREE_TOKEN_ISSUER", "https://other.example.com"), 300))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(OidcConfig.class)
                .build();
        OidcConfig oidc = config.getConfigMapping(OidcConfig.class);
        assertThatThrownBy(() -> IssuerTenantResolver.tenantsByIssuer(oidc, "strongroom"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("both name token.issuer https://sso.example.com/realms/acme");
    }

    @Test
    void roleMapEntriesParseAndMalformedOnesFailStartUp() {
        assertThat(CallerAugmentorAccess.parse("kc", List.of("a=x", "a=y", "group/with=eq=z")))
                .containsEntry("a", List.of("x", "y"))
                .containsEntry("group/with=eq", List.of("z"));
        assertThatThrownBy(() -> CallerAugmentorAccess.parse("kc", List.of("admin")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("strongroom.security.issuers.kc.role-map");
        assertThatThrownBy(() -> CallerAugmentorAccess.parse("kc", List.of("admin=")))
                .isInstanceOf(IllegalStateException.class);
    }
}
