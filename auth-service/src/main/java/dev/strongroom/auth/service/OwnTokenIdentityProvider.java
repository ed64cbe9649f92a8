package dev.strongroom.auth.service;

import dev.strongroom.auth.config.AuthConfig;
import dev.strongroom.security.CallerAugmentor;
import dev.strongroom.security.issuers.IssuerTenantResolver;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * auth-service verifies its own access tokens against its signing keys in memory (no JWKS round trip to
 * itself, nothing to fetch before it is up), with the rules every other service applies through quarkus-oidc:
 * RS256 only, kid from the JWKS, issuer, audience, expiry with 30 s skew, subject and {@code upn} required.
 * It answers only for tokens claiming Strongroom's issuer, before quarkus-oidc; gateway issuers' tokens go on
 * to quarkus-oidc's tenants as in every service. The identity looks like the default tenant's.
 */
@ApplicationScoped
public class OwnTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final String issuer;
    private final DefaultJWTParser parser;

    @Inject
    OwnTokenIdentityProvider(AuthConfig config, SigningKeys keys) {
        this.issuer = config.issuer();
        JWTAuthContextInfo context = new JWTAuthContextInfo();
        context.setPublicKeyContent(keys.publicJwks());
        context.setIssuedBy(config.issuer());
        context.setExpectedAudience(Set.of(config.audience()));
        context.setSignatureAlgorithm(Set.of(SignatureAlgorithm.RS256));
        context.setClockSkew(30);
        context.setRequireNamedPrincipal(true);
        this.parser = new DefaultJWTParser(context);
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    /** Before quarkus-oidc's provider, which has the default priority {@code SYSTEM_FIRST + 1}. */
    @Override
    public int priority() {
        return SYSTEM_FIRST + 100;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String token = request.getToken().getToken();
        if (!issuer.equals(IssuerTenantResolver.issuerOf(token))) {
            return Uni.createFrom().nullItem();
        }
        try {
            JsonWebToken jwt = parser.parse(token);
            if (jwt.getSubject() == null) {
                throw new ParseException("no subject");
            }
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                    .setPrincipal(jwt)
                    .addCredential(request.getToken())
                    .addRoles(jwt.getGroups() == null ? Set.of() : jwt.getGroups())
                    .addAttribute(CallerAugmentor.TENANT_ATTRIBUTE, CallerAugmentor.STRONGROOM_TENANT)
                    .build());
        } catch (ParseException e) {
            return Uni.createFrom().failure(new AuthenticationFailedException("invalid access token"));
        }
    }
}
