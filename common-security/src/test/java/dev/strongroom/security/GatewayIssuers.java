package dev.strongroom.security;

import dev.strongroom.testing.LocalIssuer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Two gateway identity providers made inside the test, configured only through properties the way an operator
 * would: "keycloak" (a Keycloak-like realm found by OIDC discovery, roles in realm_access, mapped and limited)
 * and "partner" (no discovery: fixed issuer and JWKS URL, roles in groups, every Strongroom default).
 * "stranger" is a third issuer nobody configured.
 */
public class GatewayIssuers implements QuarkusTestResourceLifecycleManager {

    static final String PARTNER_ISSUER = "https://partner.example";
    static final String KEYCLOAK_AUDIENCE = "strongroom-gateway";
    static LocalIssuer keycloak;
    static LocalIssuer partner;
    static LocalIssuer stranger;

    @Override
    public Map<String, String> start() {
        keycloak = LocalIssuer.start("acme");
        partner = LocalIssuer.start("partner", PARTNER_ISSUER, LocalIssuer.newKey());
        stranger = LocalIssuer.start("stranger");
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.oidc.keycloak.auth-server-url", keycloak.url());
        config.put("quarkus.oidc.keycloak.token.audience", KEYCLOAK_AUDIENCE);
        config.put("strongroom.security.issuers.keycloak.role-map",
                "strongroom-admins=admin,strongroom-users=user,strongroom-admins=user");
        config.put("strongroom.security.issuers.keycloak.allowed-roles", "user,admin");

        config.put("quarkus.oidc.partner.auth-server-url", partner.url());
        config.put("quarkus.oidc.partner.discovery-enabled", "false");
        config.put("quarkus.oidc.partner.jwks-path", partner.jwksUrl());
        config.put("quarkus.oidc.partner.jwks.resolve-early", "false");
        config.put("quarkus.oidc.partner.token.issuer", PARTNER_ISSUER);
        config.put("quarkus.oidc.partner.token.audience", "strongroom");
        config.put("quarkus.oidc.partner.token.principal-claim", "email");
        config.put("quarkus.oidc.partner.roles.role-claim-path", "groups");
        return config;
    }

    @Override
    public void stop() {
        for (LocalIssuer issuer : new LocalIssuer[] {keycloak, partner, stranger}) {
            if (issuer != null) {
                issuer.close();
            }
        }
    }
}
