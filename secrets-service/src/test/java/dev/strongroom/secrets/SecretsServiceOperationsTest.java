package dev.strongroom.secrets;

import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.KeyServiceTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import dev.strongroom.testing.OperationalContract;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** secrets-service answers the operational contract every service keeps (health, metrics, OpenAPI, errors). */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(value = KeyServiceTestResource.class,
        initArgs = @ResourceArg(name = "token-property", value = "strongroom.secrets.kms.token"))
class SecretsServiceOperationsTest extends OperationalContract {
}
