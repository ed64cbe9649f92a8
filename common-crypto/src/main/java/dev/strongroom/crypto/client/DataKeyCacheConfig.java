package dev.strongroom.crypto.client;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Configuration group: unwrapped data keys kept in memory so hot reads skip key-service, e.g. {@code strongroom.secrets.data-key-cache.*}. */
public interface DataKeyCacheConfig {

    /** Most data keys kept (one per stored value read recently). 0 disables the cache. Default 10000. */
    @WithDefault("10000")
    int maxEntries();

    /** How long an unwrapped data key stays usable without asking key-service again. Default 5m. */
    @WithDefault("5m")
    Duration ttl();
}
