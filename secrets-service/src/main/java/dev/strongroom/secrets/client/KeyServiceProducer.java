package dev.strongroom.secrets.client;

import dev.strongroom.crypto.client.KeyServiceClient;
import dev.strongroom.crypto.envelope.DataKeyCache;
import dev.strongroom.crypto.envelope.DataKeyCacheMetrics;
import dev.strongroom.crypto.envelope.DataKeyReuse;
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
        // strongroom_datakey_cache_{hits,misses,evictions}_total and _size, tagged cache="secrets".
        DataKeyCacheMetrics.bind(cache, "secrets", registry);
        Gauge.builder("strongroom.datakey.cache.hit.ratio", cache, KeyServiceProducer::hitRatio)
                .tag("cache", "secrets")
                .description("Share of data-key lookups answered from memory since start (0 before the first)")
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
    EnvelopeEncryption envelopeEncryption(KeyServiceClient client, DataKeyCache cache, SecretsConfig config, MeterRegistry registry) {
        EnvelopeEncryption envelopes = new EnvelopeEncryption(client, cache, dataKeyReuse(config.dataKeyReuse()));
        FunctionCounter.builder("strongroom.datakey.wraps", envelopes, EnvelopeEncryption::sharedDataKeysWrapped)
                .tag("cache", "secrets")
                .description("Shared data keys wrapped by key-service (each seals the values of one reuse window)")
                .register(registry);
        return envelopes;
    }

    /** The configured reuse; a value out of range fails start-up naming the property. */
    static DataKeyReuse dataKeyReuse(SecretsConfig.DataKeyReuse reuse) {
        try {
            return new DataKeyReuse(reuse.maxAge(), reuse.maxValues());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("strongroom.secrets.data-key-reuse.max-values must be 0.." + DataKeyReuse.MAX_VALUES_LIMIT
                    + " and max-age must not be negative (found " + reuse.maxValues() + ", " + reuse.maxAge() + ")", e);
        }
    }

    static double hitRatio(DataKeyCache cache) {
        long hits = cache.hits();
        long total = hits + cache.misses();
        return total == 0 ? 0 : (double) hits / total;
    }
}
