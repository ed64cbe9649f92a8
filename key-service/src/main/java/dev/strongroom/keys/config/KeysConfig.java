package dev.strongroom.keys.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** key-service settings, prefix {@code strongroom.keys}; docs/keys.md describes each. */
@ConfigMapping(prefix = "strongroom.keys")
public interface KeysConfig {

    /**
     * Where the root key that seals every stored keyset comes from. No default: the service does not
     * start without one. One of: a file path (or {@code file:<path>}) of a Tink JSON keyset;
     * {@code env:<VARIABLE>} naming an environment variable that holds the Tink JSON keyset;
     * a cloud KMS key URI ({@code gcp-kms://…}, {@code aws-kms://…}) used with the platform's default credentials.
     */
    String root();

    /**
     * The root key used before a root rotation, same forms as {@link #root()}; keysets it sealed still
     * open until {@code rotate-root} has re-sealed them. Default: none.
     */
    Optional<String> previousRoot();

    /**
     * Keys to create at start-up when they do not exist (AES256_GCM, audited key.created with
     * key-service as the actor), e.g. {@code secrets,shares}. Default: none.
     */
    Optional<List<String>> createOnStart();

    /** Largest plaintext encrypt accepts, in bytes. Default 65536 (64 KiB). */
    @WithDefault("65536")
    int maxPlaintextBytes();

    /** Shortest autoRotatePeriod a key may have. Default PT1H. */
    @WithDefault("PT1H")
    Duration minAutoRotatePeriod();

    /**
     * Which keys each caller may use for encrypt, decrypt, rewrap and datakey: a principal
     * ({@code service:<name>}, {@code workload:<namespace>/<account>}, {@code user:<name>}) to key names; a
     * name ending in {@code *} grants every key it prefixes. The caller also needs the {@code kms} role.
     * Admins are not granted anything by being admins. Defaults (application.properties):
     * {@code service:secrets-service} → {@code secrets}, {@code service:auth-service} → {@code totp}.
     */
    Map<String, List<String>> grants();

    Rotation rotation();

    interface Rotation {
        /** Whether this replica runs scheduled rotation at all. Default true. */
        @WithDefault("true")
        boolean enabled();

        /** How often the scheduler looks for keys due for rotation (Quarkus scheduler syntax). Default 60s. */
        @WithDefault("60s")
        String every();

        /** Keys rotated per look, each replica taking different ones (SKIP LOCKED). Default 50. */
        @WithDefault("50")
        int batchSize();

        /**
         * A key still due this long after its scheduled rotation time counts as overdue
         * (metric strongroom_keys_rotation_overdue, alert StrongroomKeyRotationOverdue). Default 1h.
         */
        @WithDefault("1h")
        Duration overdueAfter();
    }
}
