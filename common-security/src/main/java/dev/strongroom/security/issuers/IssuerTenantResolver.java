package dev.strongroom.security.issuers;

import io.quarkus.oidc.TenantResolver;
import io.quarkus.oidc.runtime.OidcConfig;
import io.quarkus.oidc.runtime.TenantConfigBean;
import io.quarkus.oidc.runtime.TenantConfigContext;
import io.quarkus.oidc.runtime.OidcTenantConfig;
import io.quarkus.oidc.runtime.OidcUtils;
import io.smallrye.config.SmallRyeConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Chooses the quarkus-oidc tenant of a request by its bearer token's (unverified) {@code iss}: Strongroom's
 * issuer, no token or no readable issuer → the default tenant; an issuer named by
 * {@code quarkus.oidc.<tenant>.token.issuer}, or discovered by a tenant → that tenant; any other issuer is left
 * to quarkus-oidc (which retries a tenant whose discovery failed at start-up once). Without this, quarkus-oidc
 * would first pick a tenant whose name equals a segment of the request path ({@code /v1/secrets/keycloak}),
 * refusing every other issuer's tokens there. The choice only selects the verifier: that tenant then verifies
 * the token completely (signature, issuer, audience, expiry).
 */
@ApplicationScoped
public class IssuerTenantResolver implements TenantResolver {

    private final String strongroomIssuer;
    private final Map<String, String> tenantByIssuer = new HashMap<>();
    private final TenantConfigBean tenants;

    @Inject
    IssuerTenantResolver(@ConfigProperty(name = "strongroom.auth.issuer") String strongroomIssuer, Config config,
            TenantConfigBean tenants) {
        this.strongroomIssuer = strongroomIssuer;
        this.tenants = tenants;
        OidcConfig oidc = config.unwrap(SmallRyeConfig.class).getConfigMapping(OidcConfig.class);
        for (Map.Entry<String, OidcTenantConfig> tenant : oidc.namedTenants().entrySet()) {
            if (OidcConfig.DEFAULT_TENANT_KEY.equals(tenant.getKey()) || !tenant.getValue().tenantEnabled()) {
                continue;
            }
            tenant.getValue().token().issuer()
                    .filter(issuer -> !"any".equals(issuer) && !issuer.equals(strongroomIssuer))
                    .ifPresent(issuer -> tenantByIssuer.putIfAbsent(issuer, tenant.getKey()));
        }
    }

    @Override
    public String resolve(RoutingContext context) {
        String issuer = issuerOf(bearerToken(context.request().getHeader("Authorization")));
        if (issuer == null || issuer.equals(strongroomIssuer)) {
            return OidcUtils.DEFAULT_TENANT_ID;
        }
        String tenant = tenantByIssuer.get(issuer);
        return tenant != null ? tenant : discovered(issuer);
    }

    /** The named tenant whose discovered issuer this is, once its discovery has succeeded. */
    private String discovered(String issuer) {
        for (Map.Entry<String, TenantConfigContext> tenant : tenants.getStaticTenantsConfig().entrySet()) {
            TenantConfigContext context = tenant.getValue();
            if (context.ready() && context.oidcConfig().tenantEnabled() && context.getOidcMetadata() != null
                    && issuer.equals(context.getOidcMetadata().getIssuer())) {
                return tenant.getKey();
            }
        }
        return null;
    }

    public static String bearerToken(String authorization) {
        if (authorization == null || authorization.length() < 8 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).trim();
    }

    /** The {@code iss} of a compact JWT's payload, unverified, or null. */
    public static String issuerOf(String jwt) {
        if (jwt == null) {
            return null;
        }
        int first = jwt.indexOf('.');
        int second = first < 0 ? -1 : jwt.indexOf('.', first + 1);
        if (second < 0) {
            return null;
        }
        try {
            String payload = new String(Base64.getUrlDecoder().decode(jwt.substring(first + 1, second)), StandardCharsets.UTF_8);
            return new JsonObject(payload).getValue("iss") instanceof String iss ? iss : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
