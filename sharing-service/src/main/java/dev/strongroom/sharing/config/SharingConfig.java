package dev.strongroom.sharing.config;

import dev.strongroom.crypto.client.ServiceCredentialsConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** sharing-service settings, prefix {@code strongroom.sharing}; docs/sharing.md lists each with its default. */
@ConfigMapping(prefix = "strongroom.sharing")
public interface SharingConfig {

    /** Where recipients reach the share page: links are {@code <public-url>/s/<token>#<key>}. Default http://127.0.0.1:8083. */
    @WithDefault("http://127.0.0.1:8083")
    URI publicUrl();

    /** secrets-service base URL. Default {@code ${strongroom.services.secrets-url}} (http://127.0.0.1:8082). */
    @WithDefault("${strongroom.services.secrets-url:http://127.0.0.1:8082}")
    URI secretsUrl();

    /** Timeout of one call to secrets-service. Default 10s. */
    @WithDefault("10s")
    Duration secretsTimeout();

    /** Shortest lifetime a share may ask for. Default 60 (seconds). */
    @WithDefault("60")
    long minTtlSeconds();

    /** Longest lifetime a share may ask for. Default 604800 (7 days). */
    @WithDefault("604800")
    long maxTtlSeconds();

    /** Lifetime of a share that names none. Default 3600 (1 hour). */
    @WithDefault("3600")
    long defaultTtlSeconds();

    /** Most views a share may allow. Default 100. */
    @WithDefault("100")
    int maxViews();

    /** Wrong passphrases that burn a share. Default 5. */
    @WithDefault("5")
    int maxPassphraseTries();

    /** Shortest passphrase accepted. Default 4. */
    @WithDefault("4")
    int minPassphraseLength();

    /** Argon2id cost of passphrase hashes. */
    Argon2 argon2();

    /** The purge job. */
    Purge purge();

    interface Argon2 {
        /** Memory in KiB. Default 19456 (19 MiB, OWASP). */
        @WithDefault("19456")
        int memoryKib();

        /** Iterations. Default 2. */
        @WithDefault("2")
        int iterations();

        /** Lanes. Default 1. */
        @WithDefault("1")
        int parallelism();
    }

    interface Purge {
        /** Run it at all on this replica (every replica may: they never do the same row twice). Default true. */
        @WithDefault("true")
        boolean enabled();

        /** How often it runs. Default 30s. */
        @WithDefault("30s")
        String every();

        /** Rows handled per run and statement. Default 500. */
        @WithDefault("500")
        int batchSize();

        /** How long an ended share's metadata row stays for listing. Default P30D. */
        @WithDefault("P30D")
        Duration retention();

        /** When a passphrase check reserved by a crashed replica counts as lost. Default 2m. */
        @WithDefault("2m")
        Duration staleTry();
    }

    /**
     * How sharing-service proves its own identity to secrets-service: {@code identity.client-id} and
     * {@code identity.client-secret} of its service account (client credentials at auth-service), or a fixed
     * {@code identity.token}.
     */
    ServiceCredentialsConfig identity();

    /** Notifications: off unless an address or URL is set. */
    Notifications notifications();

    interface Notifications {
        /** Send email (needs quarkus.mailer.* SMTP settings). Default false. */
        @WithDefault("false")
        boolean emailEnabled();

        /** Administrators told when a secret of a watched environment is shared. Default none. */
        Optional<List<String>> adminEmails();

        /** Environments whose shares administrators hear about. Default production. */
        @WithDefault("production")
        List<String> watchedEnvironments();

        /** Slack-compatible webhook ({@code {"text": ...}}) told about every notification. Default none. */
        Optional<URI> webhookUrl();
    }
}
