package dev.strongroom.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Scheduled verification of the hash chains (docs/audit.md, "Integrity"). */
@ConfigMapping(prefix = "strongroom.audit.integrity")
public interface IntegrityConfig {

    /** How often this instance verifies every chain; 0 turns the schedule off (the API still verifies). Default 1h. */
    @WithDefault("1h")
    Duration verifyEvery();

    /** Delay of the first scheduled verification after start-up. Default 2m. */
    @WithDefault("2m")
    Duration firstAfter();
}
