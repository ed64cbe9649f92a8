package dev.strongroom.audit.service;

import dev.strongroom.audit.client.WebhookClient;
import dev.strongroom.audit.config.AlertConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Tells the world about alerts whose {@code alert.raised} events were committed: the Prometheus
 * counter {@code strongroom_audit_alerts_raised_total{rule}}, a log line, and the optional webhook.
 */
@ApplicationScoped
public class AlertNotifier {

    private static final Logger LOG = Logger.getLogger(AlertNotifier.class);

    private final MeterRegistry registry;
    private final WebhookClient webhook;

    @Inject
    AlertNotifier(MeterRegistry registry, AlertConfig config) {
        this.registry = registry;
        this.webhook = config.webhookUrl().filter(url -> !url.isBlank()).map(WebhookClient::new).orElse(null);
    }

    public void raised(List<AlertRules.Raised> alerts) {
        for (AlertRules.Raised alert : alerts) {
            Counter.builder("strongroom.audit.alerts.raised")
                    .description("Alerts raised by the audit alert rules")
                    .tag("rule", alert.rule())
                    .register(registry)
                    .increment();
            LOG.warnf("Audit alert %s: %s (subject %s, alert %s)", alert.rule(), alert.event().data().reason(), alert.subject(),
                    alert.event().data().resource().id());
            if (webhook != null) {
                webhook.post(":rotating_light: Strongroom alert *" + alert.rule() + "*: " + alert.event().data().reason()
                        + " — subject `" + alert.subject() + "`, count " + alert.count() + " (alert " + alert.event().data().resource().id() + ")");
            }
        }
    }
}
