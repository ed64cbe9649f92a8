package dev.strongroom.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Alert rules evaluated on the audit stream. Keys are listed in docs/audit.md. */
@ConfigMapping(prefix = "strongroom.audit.alerts")
public interface AlertConfig {

    /** Evaluate the rules at all. Default true. */
    @WithDefault("true")
    boolean enabled();

    /** Failed logins ({@code user.login_failed}) for one user name. Default 5 in 5m. */
    Threshold failedLogins();

    /** Secret reads ({@code secret.read}) by one actor. Default 50 in 1m. */
    Threshold readBurst();

    /** Denied accesses (outcome {@code denied}) by one actor. Default 10 in 5m. */
    Threshold deniedSpike();

    /** Raise an alert for every share created for a secret in this environment. Default production; empty turns it off. */
    @WithDefault("production")
    Optional<String> sharedEnvironment();

    /** Optional Slack-compatible incoming-webhook URL; each alert is POSTed as {@code {"text": ...}}. */
    Optional<String> webhookUrl();

    interface Threshold {
        /** Events that trigger the alert. */
        int count();

        /** Sliding window (10-second resolution) the events must fall in. */
        Duration window();
    }
}
