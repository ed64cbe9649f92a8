package dev.strongroom.secrets.client;

import dev.strongroom.common.tls.ServiceTls;
import dev.strongroom.crypto.client.KeyServiceSetup;
import dev.strongroom.crypto.client.ServiceTokens;
import dev.strongroom.crypto.envelope.DataKeyCache;
import dev.strongroom.crypto.envelope.DataKeyReuse;
import dev.strongroom.crypto.envelope.EnvelopeEncryption;
import dev.strongroom.secrets.config.SecretsConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Envelope encryption through key-service with shared data keys; meters tagged {@code cache="secrets"}. */
public class KeyServiceProducer {

    /** The service-account token secrets-service presents to key-service (role {@code kms}). */
    @Produces
    @Singleton
    ServiceTokens serviceTokens(SecretsConfig config, ServiceTls tls) {
        return ServiceTokens.from(config.kms(), config.kms().timeout(), "strongroom.secrets.kms", tls.sslContext());
    }

    @Produces
    @Singleton
    DataKeyCache dataKeyCache(SecretsConfig config, MeterRegistry registry) {
        return KeyServiceSetup.dataKeyCache(config.dataKeyCache(), "secrets", registry);
    }

    @Produces
    @Singleton
    EnvelopeEncryption envelopeEncryption(SecretsConfig config, ServiceTokens tokens, DataKeyCache cache, MeterRegistry registry,
            ServiceTls tls) {
        DataKeyReuse reuse = dataKeyReuse(config.dataKeyReuse());
        return KeyServiceSetup.envelopeEncryption(KeyServiceSetup.client(config.kms(), tokens, tls.sslContext()), cache, reuse,
                "secrets", registry);
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
}
