package dev.strongroom.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points the Quarkus app under test at the JVM's real Kafka broker ({@link KafkaBroker#shared()}). */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("strongroom.kafka.bootstrap", KafkaBroker.shared().bootstrapServers());
    }

    @Override
    public void stop() {
        // The broker lives for the JVM: other test apps of the module reuse it.
    }
}
