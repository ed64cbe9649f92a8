package dev.strongroom.security.revocation;

import dev.strongroom.security.CallerAugmentor;
import dev.strongroom.security.TokenClaims;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Refuses (401) every Strongroom token whose {@code sid} is revoked, in every service that has common-security.
 * Tokens of gateway identity providers (quarkus-oidc named tenants) have no Strongroom session.
 */
@ApplicationScoped
public class RevokedSessionAugmentor implements SecurityIdentityAugmentor {

    @Inject
    RevokedSessions revokedSessions;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        Object tenant = identity.getAttribute(CallerAugmentor.TENANT_ATTRIBUTE);
        boolean strongroom = tenant == null || CallerAugmentor.STRONGROOM_TENANT.equals(tenant);
        if (strongroom && !identity.isAnonymous() && identity.getPrincipal() instanceof JsonWebToken jwt) {
            String sid = TokenClaims.string(jwt, "sid");
            if (sid != null && revokedSessions.isRevoked(sid)) {
                return Uni.createFrom().failure(new AuthenticationFailedException("session revoked"));
            }
        }
        return Uni.createFrom().item(identity);
    }
}
