package dev.strongroom.security.issuers;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithDefaults;
import io.smallrye.config.WithParentName;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How callers of gateway identity providers become Strongroom callers, per quarkus-oidc named tenant:
 * prefix {@code strongroom.security.issuers."<tenant>"}, see docs/auth.md ("Gateway identity providers").
 * A tenant configured in {@code quarkus.oidc.<tenant>.*} but not here gets every default.
 */
@ConfigMapping(prefix = "strongroom.security.issuers")
public interface IssuersConfig {

    /** Settings by quarkus-oidc tenant name. */
    @WithParentName
    @WithDefaults
    Map<String, Issuer> tenants();

    interface Issuer {

        /**
         * Strongroom roles a caller of this issuer may hold; any other role (from its token or {@link #roleMap()})
         * is dropped. Default {@code user}: the issuer can never grant admin, auditor or kms unless listed here.
         */
        @WithDefault("user")
        List<String> allowedRoles();

        /**
         * Translates the issuer's roles: entries {@code <issuer role>=<Strongroom role>} (an issuer role may map to
         * several). When set, issuer roles without an entry are dropped; when unset, issuer roles keep their names.
         * Either way the result is then limited to {@link #allowedRoles()}. Default unset.
         */
        Optional<List<String>> roleMap();

        /**
         * Whether names and ids get the suffix {@code @<tenant>} ({@code alice@keycloak}), so no caller of this
         * issuer can match a Strongroom account, service or grant of the same name. Turn off only when this issuer
         * is the directory of those names. Default true.
         */
        @WithDefault("true")
        boolean qualifyNames();
    }
}
