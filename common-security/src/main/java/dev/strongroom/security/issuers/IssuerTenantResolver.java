package dev.strongroom.security.issuers;

import io.quarkus.oidc.TenantResolver;
import io.quarkus.oidc.runtime.OidcConfig;
import io.quarkus.oidc.runtime.OidcTenantConfig;
import io.quarkus.oidc.runtime.OidcUtils;
import io.quarkus.oidc.runtime.TenantConfigBean;
import io.quarkus.oidc.runtime.TenantConfigContext;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.SmallRyeConfig;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
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
    private final Map<String, String> tenantByIssuer;
    private final TenantConfigBean tenants;

    @Inject
    IssuerTenantResolver(@ConfigProperty(name = "strongroom.auth.issuer") String strongroomIssuer, Config config,
            TenantConfigBean tenants) {
        this.strongroomIssuer = strongroomIssuer;
        this.tenants = tenants;
        OidcConfig oidc = config.unwrap(SmallRyeConfig.class).getConfigMapping(OidcConfig.class);
        check(oidc);
        this.tenantByIssuer = tenantsByIssuer(oidc, strongroomIssuer);
    }

    /** Checks the gateway tenants at start-up rather than at the first request. */
    void start(@Observes StartupEvent event) {
        // constructing this bean did the checks
    }

    /**
     * Refuses gateway tenants that would accept too much: quarkus-oidc checks an access token's {@code aud} only
     * when {@code token.audience} is set, so without it every token the identity provider ever issued, for any
     * client, would be let in. {@code any} states that on purpose.
     */
    static void check(OidcConfig oidc) {
        for (Map.Entry<String, OidcTenantConfig> tenant : gatewayTenants(oidc).entrySet()) {
            if (tenant.getValue().token().audience().map(List::isEmpty).orElse(true)) {
                throw new IllegalStateException("quarkus.oidc." + tenant.getKey() + ".token.audience must be set: the audience"
                        + " Strongroom's tokens from this issuer carry (see docs/auth.md, Gateway identity providers)");
            }
        }
    }

    /** Configured {@code token.issuer} → gateway tenant; two tenants naming the same issuer fail start-up. */
    static Map<String, String> tenantsByIssuer(OidcConfig oidc, String strongroomIssuer) {
        Map<String, String> byIssuer = new HashMap<>();
        for (Map.Entry<String, OidcTenantConfig> tenant : gatewayTenants(oidc).entrySet()) {
            tenant.getValue().token().issuer()
                    .filter(issuer -> !"any".equals(issuer) && !issuer.equals(strongroomIssuer))
                    .ifPresent(issuer -> {
                        String other = byIssuer.putIfAbsent(issuer, tenant.getKey());
                        if (other != null) {
                            throw new IllegalStateException("quarkus.oidc." + other + " and quarkus.oidc." + tenant.getKey()
                                    + " both name token.issuer " + issuer + ": a token could not say which one verifies it");
                        }
                    });
        }
        return Map.copyOf(byIssuer);
    }

    /** The enabled named tenants: gateway identity providers. */
    static Map<String, OidcTenantConfig> gatewayTenants(OidcConfig oidc) {
        Map<String, OidcTenantConfig> gateways = new HashMap<>();
        oidc.namedTenants().forEach((name, tenant) -> {
            if (!OidcConfig.DEFAULT_TENANT_KEY.equals(name) && tenant.tenantEnabled()) {
                gateways.put(name, tenant);
            }
        });
        return gateways;
    }

    /** Where {@link #resolve} leaves its answer in the routing context ({@link #NO_TENANT} for "left to quarkus-oidc"). */
    static final String RESOLVED_TENANT = IssuerTenantResolver.class.getName() + ".tenant";
    private static final String NO_TENANT = "";

    @Override
    public String resolve(RoutingContext context) {
        String tenant = tenantOfToken(context);
        context.put(RESOLVED_TENANT, tenant == null ? NO_TENANT : tenant);
        return tenant;
    }

    /**
     * The tenant that verifies this request's bearer token (as {@link #resolve} chose it, or chooses it now), or
     * null when the choice is left to quarkus-oidc.
     */
    public String tenantOf(RoutingContext context) {
        Object resolved = context.get(RESOLVED_TENANT);
        String tenant = resolved instanceof String known ? known : resolve(context);
        return tenant == null || tenant.isEmpty() ? null : tenant;
    }

    private String tenantOfToken(RoutingContext context) {
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

    /** The {@code iss} of a compact JWT's payload, unverified ({@link UnverifiedJwt}), or null. */
    public static String issuerOf(String jwt) {
        UnverifiedJwt claims = UnverifiedJwt.read(jwt);
        return claims == null ? null : claims.issuer();
    }
}
