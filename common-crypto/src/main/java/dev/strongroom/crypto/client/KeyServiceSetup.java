package dev.strongroom.crypto.client;

import dev.strongroom.crypto.envelope.DataKeyCache;
import dev.strongroom.crypto.envelope.DataKeyCacheMetrics;
import dev.strongroom.crypto.envelope.DataKeyReuse;
import dev.strongroom.crypto.envelope.EnvelopeEncryption;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import javax.net.ssl.SSLContext;

/**
 * Builds a service's envelope encryption through key-service from its configuration groups, with its meters
 * tagged {@code cache=<name>}: {@code strongroom_datakey_cache_{hits,misses,evictions}_total}, {@code _size},
 * {@code strongroom_datakey_cache_hit_ratio} and {@code strongroom_datakey_wraps_total}. Each service's
 * CDI producer calls these.
 */
public final class KeyServiceSetup {

    private KeyServiceSetup() {}

    public static DataKeyCache dataKeyCache(DataKeyCacheConfig config, String name, MeterRegistry registry) {
        DataKeyCache cache = new DataKeyCache(config.maxEntries(), config.ttl());
        DataKeyCacheMetrics.bind(cache, name, registry);
        return cache;
    }

    /** The client of key-service at {@code config.url()}; an https:// URL is verified against {@code tls} (null: the JVM's trust). */
    public static KeyServiceClient client(KeyServiceConfig config, ServiceTokens tokens, SSLContext tls) {
        return KeyServiceClient.builder(config.url())
                .bearerToken(tokens::current)
                .timeout(config.timeout())
                .sslContext(tls)
                .build();
    }

    public static EnvelopeEncryption envelopeEncryption(KeyServiceClient client, DataKeyCache cache, DataKeyReuse reuse,
            String name, MeterRegistry registry) {
        EnvelopeEncryption envelopes = new EnvelopeEncryption(client, cache, reuse);
        FunctionCounter.builder("strongroom.datakey.wraps", envelopes, EnvelopeEncryption::sharedDataKeysWrapped)
                .tag("cache", name)
                .description("Shared data keys wrapped by key-service (each seals the values of one reuse window)")
                .register(registry);
        return envelopes;
    }
}
