package dev.strongroom.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * What every Strongroom service answers whatever its domain: liveness, readiness that covers its
 * database and Kafka, Prometheus metrics, its OpenAPI document and Swagger UI, problem+json for
 * unknown paths, and its own database migrated by Flyway. Each service's test extends this with
 * {@code @QuarkusTest} and the MariaDB and Kafka test resources.
 */
public abstract class OperationalContract {

    @Test
    void isLive() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void isReadyOnlyWithItsDatabaseAndKafkaChecked() {
        List<String> checks = given().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .extract().jsonPath().getList("checks.name", String.class);
        assertThat(checks).anySatisfy(name -> assertThat(name).containsIgnoringCase("MySQL"));
        assertThat(checks).anySatisfy(name -> assertThat(name).containsIgnoringCase("Kafka"));
    }

    @Test
    void servesPrometheusMetrics() {
        given().accept("text/plain").get("/q/metrics").then()
                .statusCode(200)
                .contentType(startsWith("text/plain"))
                .body(containsString("# TYPE jvm_memory_used_bytes gauge"))
                .body(containsString("process_cpu_usage"));
    }

    @Test
    void publishesItsOpenApiAndSwaggerUi() {
        String app = config().getValue("quarkus.application.name", String.class);
        given().accept("application/json").get("/q/openapi").then()
                .statusCode(200)
                .body("info.title", equalTo("Strongroom " + app))
                .body("openapi", startsWith("3."));
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("<html"));
    }

    @Test
    void answersUnknownPathsWithProblemJson() {
        given().accept("application/json").get("/v1/no-such-thing").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("type", equalTo("https://strongroom.dev/problems/not-found"))
                .body("title", equalTo("Not Found"))
                .body(not(containsString("Exception")))
                .body(not(containsString(".java:")));
    }

    @Test
    void migratesItsOwnDatabaseAtStartUp() throws Exception {
        Config config = config();
        String database = config.getValue("strongroom.db.name", String.class);
        String url = "jdbc:mariadb://" + config.getValue("strongroom.db.host", String.class) + ":"
                + config.getValue("strongroom.db.port", Integer.class) + "/" + database;
        List<String> applied = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, config.getValue("strongroom.db.user", String.class),
                        config.getOptionalValue("strongroom.db.password", String.class).orElse(""));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT script FROM flyway_schema_history WHERE success = 1 ORDER BY installed_rank")) {
            while (rs.next()) {
                applied.add(rs.getString(1));
            }
        }
        assertThat(database).startsWith("srt_");
        List<String> collations = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, config.getValue("strongroom.db.user", String.class),
                        config.getOptionalValue("strongroom.db.password", String.class).orElse(""));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()"
                        + " UNION ALL SELECT CONCAT(TABLE_NAME, ': ', TABLE_COLLATION) FROM information_schema.TABLES"
                        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> 'flyway_schema_history'")) {
            while (rs.next()) {
                collations.add(rs.getString(1));
            }
        }
        // The database and every table the service made: utf8mb4, compared byte for byte, as in production.
        assertThat(collations).as("collations in " + database).isNotEmpty().allSatisfy(c -> assertThat(c).endsWith("utf8mb4_bin"));
        assertThat(applied).as("migrations applied to " + database).anySatisfy(script -> assertThat(script).endsWith("V0_1__audit_outbox.sql"));
    }

    private static Config config() {
        return ConfigProvider.getConfig();
    }

}
