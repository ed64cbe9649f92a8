package dev.strongroom.audit;

import dev.strongroom.testing.HecReceiver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points audit-service's HEC forwarder at the test receiver and its alert webhook at the test hook. */
public class HecTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        HecReceiver hec = HecReceiver.shared();
        return Map.of(
                // the full endpoint URL, as Splunk's docs write it (the base URL works too: HecUrlTest, the stack test)
                "strongroom.audit.hec.url", hec.url() + "/services/collector/event",
                "strongroom.audit.hec.token", hec.token(),
                "strongroom.audit.hec.index", "strongroom_test",
                "strongroom.audit.alerts.webhook-url", WebhookReceiver.shared().url());
    }

    @Override
    public void stop() {
        // shared for the JVM
    }
}
