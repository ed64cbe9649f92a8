package dev.strongroom.security;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The verified caller of the current request; inject it where a service needs to know who asks. */
@RequestScoped
public class CurrentCaller {

    @Inject
    SecurityIdentity identity;

    /** The caller, or null for an anonymous request. */
    public Caller get() {
        return of(identity);
    }

    /**
     * The caller an identity stands for, or null for an anonymous one: what {@link CallerAugmentor} made of its
     * token (Strongroom's own or a gateway issuer's), else its token claims or plain principal name.
     */
    public static Caller of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return null;
        }
        Caller caller = identity.getAttribute(CallerAugmentor.ATTRIBUTE);
        if (caller != null) {
            return caller;
        }
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            return new Caller(jwt.getSubject(), jwt.getName(),
                    Caller.PrincipalType.fromClaim(TokenClaims.string(jwt, Caller.TYPE_CLAIM)),
                    Set.copyOf(identity.getRoles()), TokenClaims.string(jwt, "sid"));
        }
        String name = identity.getPrincipal().getName();
        return new Caller(name, name, Caller.PrincipalType.USER, Set.copyOf(identity.getRoles()), null);
    }
}
