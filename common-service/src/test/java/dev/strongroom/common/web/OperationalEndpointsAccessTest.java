package dev.strongroom.common.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The production switches of the operational endpoints: /q/metrics behind a scrape token, the OpenAPI document and
 * Swagger UI turned off at runtime, health untouched (docs/security.md, "Operational endpoints").
 */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@TestProfile(OperationalEndpointsAccessTest.Locked.class)
class OperationalEndpointsAccessTest {

    static final String TOKEN = "scrape-token-0123456789abcdef";

    public static class Locked implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "strongroom.metrics.token", TOKEN,
                    "quarkus.swagger-ui.enabled", "false",
                    "quarkus.smallrye-openapi.enabled", "false");
        }
    }

    @Test
    void metricsNeedTheScrapeToken() {
        given().get("/q/metrics").then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401))
                .body(not(containsString(TOKEN)));
        given().header("Authorization", "Bearer " + TOKEN + "x").get("/q/metrics").then().statusCode(401);
        given().header("Authorization", "Basic " + TOKEN).get("/q/metrics").then().statusCode(401);
        given().header("Authorization", "Bearer " + TOKEN).get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("jvm_"));
    }

    @Test
    void swaggerUiAndTheOpenApiDocumentCanBeTurnedOffWhileHealthStays() {
        given().get("/q/swagger-ui/").then().statusCode(404);
        given().get("/q/openapi").then().statusCode(404);
        given().get("/q/health/live").then().statusCode(200);
    }
}
