package dev.strongroom.audit;

import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import dev.strongroom.testing.OperationalContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** audit-service answers the operational contract every service keeps (health, metrics, OpenAPI, errors). */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(HecTestResource.class)
class AuditServiceOperationsTest extends OperationalContract {
}
