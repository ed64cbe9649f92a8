package dev.strongroom.security;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;

/**
 * Verifies a second Strongroom access token carried beside the request's own (a calling service's identity,
 * e.g. sharing-service's in {@code X-Strongroom-Service-Token} while {@code Authorization} carries the user it
 * acts for), with the same keys, issuer, audience and expiry rules as every bearer token.
 */
@ApplicationScoped
public class ServiceTokenVerifier {

    @Inject
    TenantIdentityProvider identities;

    /**
     * The service the token names, when it verifies, is a service principal named one of {@code names} and holds
     * {@code role}; else null. Never fails for a bad token.
     */
    public Uni<Caller> service(String token, Set<String> names, String role) {
        if (token == null || token.isBlank()) {
            return Uni.createFrom().nullItem();
        }
        return identities.authenticate(new AccessTokenCredential(token.trim()))
                .map(CurrentCaller::of)
                .map(caller -> caller != null && caller.type() == Caller.PrincipalType.SERVICE && names.contains(caller.name())
                        && caller.hasRole(role) ? caller : null)
                .onFailure().recoverWithNull();
    }
}
