package dev.strongroom.secrets.client;

import dev.strongroom.crypto.client.KeyServiceClient;
import dev.strongroom.crypto.envelope.DataKeyCache;
import dev.strongroom.crypto.envelope.EnvelopeEncryption;
import dev.strongroom.secrets.config.SecretsConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Envelope encryption through key-service, with the data-key cache bound to Micrometer. */
public class KeyServiceProducer {

    @Produces
    @Singleton
    DataKeyCache dataKeyCache(SecretsConfig config, MeterRegistry registry) {
        DataKeyCache cache = new DataKeyCache(config.dataKeyCache().maxEntries(), config.dataKeyCache().ttl());
        FunctionCounter.builder("strongroom.secrets.datakey.cache.hits", cache, DataKeyCache::hits)
                .description("Reads whose data key was already unwrapped (no key-service call)")
                .register(registry);
        FunctionCounter.builder("strongroom.secrets.datakey.cache.misses", cache, DataKeyCache::misses)
                .description("Reads that had to ask key-service to unwrap the data key")
                .register(registry);
        Gauge.builder("strongroom.secrets.datakey.cache.hit.ratio", cache, KeyServiceProducer::hitRatio)
                .description("Share of data-key lookups answered from the cache since start (0 before the first)")
                .register(registry);
        Gauge.builder("strongroom.secrets.datakey.cache.size", cache, DataKeyCache::size)
                .description("Unwrapped data keys held in memory")
                .register(registry);
        return cache;
    }

    @Produces
    @Singleton
    KeyServiceClient keyServiceClient(SecretsConfig config, KmsTokens tokens) {
        return KeyServiceClient.builder(config.kms().url())
                .bearerToken(tokens::current)
                .timeout(config.kms().timeout())
                .build();
    }

    @Produces
    @Singleton
    EnvelopeEncryption envelopeEncryption(KeyServiceClient client, DataKeyCache cache) {
        return new EnvelopeEncryption(client, cache);
    }

    static double hitRatio(DataKeyCache cache) {
        long hits = cache.hits();
        long total = hits + cache.misses();
        return total == 0 ? 0 : (double) hits / total;
    }
}
