package dev.strongroom.sharing.service;

import dev.strongroom.sharing.Share;
import dev.strongroom.sharing.config.SharingConfig;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Tells people about shares, best effort and after the fact (the audit log is the record): the creator when their
 * share is opened or burnt (by email to the share's {@code notifyEmail}), administrators when a secret of a watched
 * environment is shared (by email to {@code admin-emails}), and a Slack-compatible webhook about each. Off unless
 * configured. Messages name the secret and the share, never the token, key, passphrase or value.
 */
@ApplicationScoped
public class ShareNotifier {

    private static final Logger LOG = Logger.getLogger(ShareNotifier.class);

    @Inject
    SharingConfig config;

    @Inject
    ReactiveMailer mailer;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    void created(Share share) {
        SharingConfig.Notifications n = config.notifications();
        if (!n.watchedEnvironments().contains(share.environment)) {
            return;
        }
        String text = "Strongroom: " + share.createdBy + " shared secret " + share.secretName + " (" + share.environment
                + ", version " + share.secretVersion + "): " + share.maxViews + " view(s), expires " + Times.instant(share.expiresAt)
                + ", share " + share.id + ".";
        email(n.adminEmails().orElse(List.of()), "Strongroom: a " + share.environment + " secret was shared", text);
        webhook(text);
    }

    void opened(Share share, int viewsLeft) {
        String text = "Strongroom: your share " + share.id + " of secret " + share.secretName + " (" + share.environment
                + ") was opened; " + viewsLeft + " view(s) left.";
        email(creator(share), "Strongroom: your share was opened", text);
        webhook(text);
    }

    void burnt(Share share) {
        String text = "Strongroom: your share " + share.id + " of secret " + share.secretName + " (" + share.environment
                + ") was destroyed after " + config.maxPassphraseTries() + " wrong passphrases.";
        email(creator(share), "Strongroom: your share was destroyed", text);
        webhook(text);
    }

    private static List<String> creator(Share share) {
        List<String> to = new ArrayList<>();
        if (share.notifyEmail != null) {
            to.add(share.notifyEmail);
        }
        return to;
    }

    private void email(List<String> to, String subject, String text) {
        if (!config.notifications().emailEnabled() || to.isEmpty()) {
            return;
        }
        mailer.send(Mail.withText(to.get(0), subject, text).setTo(List.copyOf(to)))
                .subscribe().with(ok -> LOG.debugf("Notification email sent to %d recipient(s)", to.size()),
                        failure -> LOG.warnf("Notification email could not be sent: %s", failure.getClass().getSimpleName()));
    }

    private void webhook(String text) {
        config.notifications().webhookUrl().ifPresent(url -> {
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("text", text).encode()))
                    .build();
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, failure) -> {
                        if (failure != null || response.statusCode() / 100 != 2) {
                            LOG.warnf("Notification webhook %s did not accept the message (%s)", url.getHost(),
                                    failure != null ? failure.getClass().getSimpleName() : response.statusCode());
                        }
                    });
        });
    }
}
