package dev.strongroom.crypto.client;

import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;

/** Configuration group: where key-service is and how the caller authenticates, e.g. {@code strongroom.secrets.kms.*}. */
public interface KeyServiceConfig extends ServiceCredentialsConfig {

    /** key-service base URL. Default {@code ${strongroom.services.keys-url}}, else http://127.0.0.1:8085. */
    @WithDefault("${strongroom.services.keys-url:http://127.0.0.1:8085}")
    URI url();

    /** Connect and request timeout of one key-service (and token) call. Default 5s. */
    @WithDefault("5s")
    Duration timeout();
}
