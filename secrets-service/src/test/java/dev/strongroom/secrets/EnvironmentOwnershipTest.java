package dev.strongroom.secrets;

import static dev.strongroom.secrets.Api.as;
import static dev.strongroom.secrets.Api.asService;
import static dev.strongroom.secrets.Api.create;
import static dev.strongroom.secrets.Api.grant;
import static dev.strongroom.secrets.Api.plaintext;
import static dev.strongroom.secrets.Api.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.testing.AuditTopic;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.KeyServiceTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Who may take a name: in a protected environment ({@code strongroom.secrets.creators.production}) only admins and
 * the listed principals create; elsewhere anyone. A name held by a secret the caller cannot see answers the same
 * 403 as a protected environment, never a 409 that confirms it.
 */
@QuarkusTest
@TestProfile(EnvironmentOwnershipTest.ProtectedProduction.class)
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(value = KeyServiceTestResource.class,
        initArgs = @ResourceArg(name = "token-property", value = "strongroom.secrets.kms.token"))
class EnvironmentOwnershipTest {

    public static class ProtectedProduction implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("strongroom.secrets.creators.production", "role:release,service:deployer");
        }
    }

    @Test
    void anOrdinaryUserCannotTakeANameInAProtectedEnvironment() {
        String name = uniqueName("squat");
        String value = plaintext("squat");
        Response refused = post(as("mallory"), "production", name, value);
        assertCreateRefused(refused, "production", name, value);
        JsonNode denied = AuditTopic.await("secret.access_denied", "environment/production",
                e -> name.equals(e.path("data").path("resource").path("name").asText()));
        assertThat(denied.path("data").path("actor").path("name").asText()).isEqualTo("mallory");
        assertThat(denied.path("data").path("outcome").asText()).isEqualTo("denied");
        assertThat(denied.path("data").path("details").path("operation").asText()).isEqualTo("create");

        // nothing was taken: a creator gets the name, and mallory owns nothing there
        post(as("rita", "user", "release"), "production", name, plaintext("rightful")).then().statusCode(201)
                .body("owner", equalTo("user:rita"));
        as("mallory").get("/v1/secrets?environment=production&limit=500").then().body("items.name", not(hasItem(name)));
    }

    @Test
    void adminsAndListedPrincipalsCreateThereAndOpenEnvironmentsStayOpen() {
        post(as("rita", "user", "release"), "production", uniqueName("by-role"), plaintext("by-role")).then().statusCode(201);
        post(asService("deployer", "user"), "production", uniqueName("by-service"), plaintext("by-service")).then().statusCode(201);
        post(as("root", "admin"), "production", uniqueName("by-admin"), plaintext("by-admin")).then().statusCode(201);
        String other = uniqueName("by-other");
        assertCreateRefused(post(asService("other-ci", "user"), "production", other, plaintext("by-other")), "production", other, "by-other");
        post(as("mallory"), "staging", uniqueName("open"), plaintext("open")).then().statusCode(201);
    }

    @Test
    void aNameHeldByASecretTheCallerCannotSeeAnswersLikeAProtectedEnvironment() {
        String name = uniqueName("held");
        String id = create("alice", name, "staging", plaintext("held"));
        grant("alice", id, Map.of("user:bob", List.of("READ"), "user:wendy", List.of("WRITE")));

        // mallory (no grant) and wendy (WRITE only: may not learn the secret exists): the create 403, no name, no state
        String squat = plaintext("squat-held");
        Response mallory = post(as("mallory"), "staging", name, squat);
        assertCreateRefused(mallory, "staging", name, squat);
        Response protectedEnvironment = post(as("mallory"), "production", name, squat);
        assertThat(mallory.jsonPath().getString("type")).isEqualTo(protectedEnvironment.jsonPath().getString("type"));
        assertThat(mallory.jsonPath().getString("title")).isEqualTo(protectedEnvironment.jsonPath().getString("title"));
        assertThat(mallory.jsonPath().getString("detail"))
                .isEqualTo(protectedEnvironment.jsonPath().getString("detail").replace("'production'", "'staging'"));
        assertCreateRefused(post(as("wendy"), "staging", name, squat), "staging", name, squat);
        AuditTopic.await("secret.access_denied", "environment/staging",
                e -> name.equals(e.path("data").path("resource").path("name").asText())
                        && "mallory".equals(e.path("data").path("actor").path("name").asText()));

        // callers that may know the secret get the plain 409
        post(as("bob"), "staging", name, squat).then().statusCode(409).body("type", equalTo("https://strongroom.dev/problems/secret-exists"));
        post(as("alice"), "staging", name, squat).then().statusCode(409);
        post(as("root", "admin"), "staging", name, squat).then().statusCode(409);

        // soft-deleted: still held, still not confirmed to those who cannot see it
        as("alice").delete("/v1/secrets/" + id).then().statusCode(204);
        assertCreateRefused(post(as("mallory"), "staging", name, squat), "staging", name, squat);
        post(as("alice"), "staging", name, squat).then().statusCode(409);
        as("mallory").get("/v1/secrets?environment=staging&limit=500").then().body("items.name", not(hasItem(name)));
    }

    private static Response post(RequestSpecification caller, String environment, String name, String value) {
        Api.PLAINTEXTS.add(value);
        return caller.body(Map.of("name", name, "environment", environment, "value", value)).post("/v1/secrets");
    }

    private static void assertCreateRefused(Response answer, String environment, String name, String value) {
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(403);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.jsonPath().getString("type")).isEqualTo("https://strongroom.dev/problems/forbidden");
        assertThat(answer.jsonPath().getString("detail")).contains("'" + environment + "'")
                .doesNotContain("soft-deleted").doesNotContain("alice");
        String withoutEcho = answer.asString().replace(answer.jsonPath().getString("instance"), "");
        assertThat(withoutEcho).doesNotContain(name).doesNotContain(value);
    }
}
