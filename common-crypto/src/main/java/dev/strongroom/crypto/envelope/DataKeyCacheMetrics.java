package dev.strongroom.crypto.envelope;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Publishes a {@link DataKeyCache}'s counters: {@code strongroom_datakey_cache_hits_total},
 * {@code _misses_total}, {@code _evictions_total} and the gauge {@code strongroom_datakey_cache_size},
 * tagged {@code cache=<name>}. Needs Micrometer on the classpath (every service has it).
 */
public final class DataKeyCacheMetrics {

    private DataKeyCacheMetrics() {}

    public static void bind(DataKeyCache cache, String name, MeterRegistry registry) {
        FunctionCounter.builder("strongroom.datakey.cache.hits", cache, DataKeyCache::hits)
                .tag("cache", name)
                .description("Data-key lookups served from memory (no key-service call)")
                .register(registry);
        FunctionCounter.builder("strongroom.datakey.cache.misses", cache, DataKeyCache::misses)
                .tag("cache", name)
                .description("Data-key lookups that needed an unwrap by key-service")
                .register(registry);
        FunctionCounter.builder("strongroom.datakey.cache.evictions", cache, DataKeyCache::evictions)
                .tag("cache", name)
                .description("Data keys dropped for size or age")
                .register(registry);
        Gauge.builder("strongroom.datakey.cache.size", cache, DataKeyCache::size)
                .tag("cache", name)
                .description("Data keys held")
                .register(registry);
    }
}
