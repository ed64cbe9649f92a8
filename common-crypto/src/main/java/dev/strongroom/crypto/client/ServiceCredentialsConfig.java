package dev.strongroom.crypto.client;

import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Configuration group: how a service obtains its own access token for calls to another of our services
 * ({@link ServiceTokens#from}). Embedded under each caller's prefix, e.g. {@code strongroom.secrets.kms.*}.
 */
public interface ServiceCredentialsConfig {

    /** A fixed access token (tests, or a token minted by an operator). Default none: the client credentials below. */
    Optional<String> token();

    /** Service-account client id for auth-service's client-credentials grant. Default none. */
    Optional<String> clientId();

    /** Service-account client secret. Default none. */
    Optional<String> clientSecret();

    /** Token endpoint. Default {@code ${strongroom.services.auth-url}/v1/auth/token}. */
    @WithDefault("${strongroom.services.auth-url:http://127.0.0.1:8081}/v1/auth/token")
    URI tokenUrl();

    /** A token is renewed this long before it expires. Default 60s. */
    @WithDefault("60s")
    Duration tokenRefreshMargin();
}
