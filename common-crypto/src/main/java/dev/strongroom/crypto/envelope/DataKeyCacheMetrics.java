package dev.strongroom.crypto.envelope;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Publishes a {@link DataKeyCache}'s counters: {@code strongroom_datakey_cache_hits_total},
 * {@code _misses_total}, {@code _evictions_total} and the gauges {@code strongroom_datakey_cache_size} and
 * {@code strongroom_datakey_cache_hit_ratio}, tagged {@code cache=<name>}. Needs Micrometer on the classpath (every service has it).
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
        Gauge.builder("strongroom.datakey.cache.hit.ratio", cache, DataKeyCacheMetrics::hitRatio)
                .tag("cache", name)
                .description("Share of data-key lookups answered from memory since start (0 before the first)")
                .register(registry);
    }

    static double hitRatio(DataKeyCache cache) {
        long hits = cache.hits();
        long total = hits + cache.misses();
        return total == 0 ? 0 : (double) hits / total;
    }
}
