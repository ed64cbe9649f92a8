package dev.strongroom.sharing;

import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import dev.strongroom.testing.OperationalContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** sharing-service answers the operational contract every service keeps (health, metrics, OpenAPI, errors); same resources as the other tests: one app start. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(SecretsServiceTestResource.class)
@WithTestResource(NotificationTestResource.class)
class SharingServiceOperationsTest extends OperationalContract {
}
