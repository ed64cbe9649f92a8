package dev.strongroom.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.oidc.runtime.OidcJwtCallerPrincipal;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

class TokenClaimsTest {

    private static JwtClaims claims() {
        JwtClaims claims = new JwtClaims();
        claims.setSubject("u-1");
        claims.setClaim("sid", "session-7");
        claims.setClaim(Caller.TYPE_CLAIM, "service");
        claims.setClaim("level", 3);
        return claims;
    }

    @Test
    void readsClaimsOutsideTheStandardNamesFromQuarkusOidcPrincipals() {
        OidcJwtCallerPrincipal jwt = new OidcJwtCallerPrincipal(claims(), null);

        assertThat(TokenClaims.string(jwt, "sid")).isEqualTo("session-7");
        assertThat(TokenClaims.string(jwt, Caller.TYPE_CLAIM)).isEqualTo("service");
        assertThat(TokenClaims.string(jwt, "sub")).isEqualTo("u-1");
        assertThat(TokenClaims.string(jwt, "level")).isEqualTo("3");
        assertThat(TokenClaims.string(jwt, "absent")).isNull();
    }

    @Test
    void otherTokensAnswerTheSameThroughTheirOwnClaimLookup() {
        DefaultJWTCallerPrincipal jwt = new DefaultJWTCallerPrincipal(claims());

        assertThat(TokenClaims.string(jwt, "sid")).isEqualTo("session-7");
        assertThat(TokenClaims.string(jwt, Caller.TYPE_CLAIM)).isEqualTo("service");
        assertThat(TokenClaims.string(jwt, "absent")).isNull();
    }
}
