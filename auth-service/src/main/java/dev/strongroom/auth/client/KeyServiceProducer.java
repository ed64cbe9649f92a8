package dev.strongroom.auth.client;

import dev.strongroom.auth.config.AuthConfig;
import dev.strongroom.crypto.client.KeyServiceClient;
import dev.strongroom.crypto.envelope.DataKeyCache;
import dev.strongroom.crypto.envelope.DataKeyCacheMetrics;
import dev.strongroom.crypto.envelope.EnvelopeEncryption;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Envelope encryption of TOTP secrets through key-service, with the data-key cache bound to Micrometer. */
public class KeyServiceProducer {

    @Produces
    @Singleton
    DataKeyCache dataKeyCache(AuthConfig config, MeterRegistry registry) {
        DataKeyCache cache = new DataKeyCache(config.dataKeyCache().maxEntries(), config.dataKeyCache().ttl());
        // strongroom_datakey_cache_{hits,misses,evictions}_total and _size, tagged cache="totp".
        DataKeyCacheMetrics.bind(cache, "totp", registry);
        return cache;
    }

    @Produces
    @Singleton
    KeyServiceClient keyServiceClient(AuthConfig config, KmsTokens tokens) {
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
}
