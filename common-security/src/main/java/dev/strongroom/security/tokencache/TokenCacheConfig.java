package dev.strongroom.security.tokencache;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The verified-token cache ({@link VerifiedTokenCache}); prefix {@code strongroom.security.token-cache}, see docs/auth.md. */
@ConfigMapping(prefix = "strongroom.security.token-cache")
public interface TokenCacheConfig {

    /** Whether verified bearer tokens are remembered until they expire. Default true. */
    @WithDefault("true")
    boolean enabled();

    /** How many verified tokens are remembered at most (the least useful are dropped first). Default 10000. */
    @WithDefault("10000")
    int maxSize();

    /**
     * The longest an entry lives, whatever the token's {@code exp} says (an entry never outlives its token's
     * {@code exp}). Bounds how long a token of a gateway issuer with long-lived tokens skips signature checks. Default PT15M.
     */
    @WithDefault("PT15M")
    Duration maxLifetime();
}
