package dev.strongroom.auth.client;

import dev.strongroom.auth.config.AuthConfig;
import dev.strongroom.auth.service.TokenIssuer;
import dev.strongroom.common.id.UuidV7;
import dev.strongroom.common.tls.ServiceTls;
import dev.strongroom.crypto.client.KeyServiceSetup;
import dev.strongroom.crypto.client.ServiceTokens;
import dev.strongroom.crypto.envelope.DataKeyCache;
import dev.strongroom.crypto.envelope.DataKeyReuse;
import dev.strongroom.crypto.envelope.EnvelopeEncryption;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Set;

/** Envelope encryption of TOTP secrets through key-service; meters tagged {@code cache="totp"}. */
public class KeyServiceProducer {

    /** Subject and name of auth-service's own token (key-service's audit shows it as the actor). */
    public static final String SELF = "auth-service";

    /**
     * The token auth-service presents to key-service (role {@code kms}). auth-service is the token issuer, so it
     * needs no client secret: it signs itself a service token with its active signing key (a session id of its
     * own per process), verified by key-service against the JWKS like any other. {@code strongroom.auth.kms.token}
     * fixes the token instead (tests).
     */
    @Produces
    @Singleton
    ServiceTokens serviceTokens(AuthConfig config, TokenIssuer issuer) {
        if (config.kms().token().isPresent()) {
            return ServiceTokens.fixed(config.kms().token().get());
        }
        String sessionId = UuidV7.next().toString();
        return ServiceTokens.issuedBy(() -> {
            TokenIssuer.AccessToken minted = issuer.issue(SELF, SELF, "service", Set.of("kms"), sessionId);
            return new ServiceTokens.IssuedToken(minted.token(), Instant.now().plusSeconds(minted.expiresIn()));
        }, config.kms().tokenRefreshMargin());
    }

    @Produces
    @Singleton
    DataKeyCache dataKeyCache(AuthConfig config, MeterRegistry registry) {
        return KeyServiceSetup.dataKeyCache(config.dataKeyCache(), "totp", registry);
    }

    @Produces
    @Singleton
    EnvelopeEncryption envelopeEncryption(AuthConfig config, ServiceTokens tokens, DataKeyCache cache, MeterRegistry registry,
            ServiceTls tls) {
        return KeyServiceSetup.envelopeEncryption(KeyServiceSetup.client(config.kms(), tokens, tls.sslContext()), cache,
                DataKeyReuse.NONE, "totp", registry);
    }
}
