package dev.strongroom.secrets;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.KeyServiceTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import dev.strongroom.testing.OperationalContract;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** secrets-service answers the operational contract every service keeps (health, metrics, OpenAPI, errors). */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(value = KeyServiceTestResource.class,
        initArgs = @ResourceArg(name = "token-property", value = "strongroom.secrets.kms.token"))
class SecretsServiceOperationsTest extends OperationalContract {

    @Test
    void theOpenApiDocumentListsBatchGetUnderItsRealPath() {
        Map<String, Object> paths = given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath().getMap("paths");
        assertThat(paths).containsKey("/v1/secrets/values:batchGet").doesNotContainKey("/v1/secrets/{batchGet}");
        assertThat(given().accept("application/json").get("/q/openapi").then().extract().jsonPath()
                .getList("paths.'/v1/secrets/values:batchGet'.post.parameters.name", String.class)).doesNotContain("batchGet");
    }
}
