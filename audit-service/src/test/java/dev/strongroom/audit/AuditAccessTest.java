package dev.strongroom.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import dev.strongroom.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The security matrix of every audit endpoint: auditors and admins read, nobody else. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(HecTestResource.class)
class AuditAccessTest {

    @ParameterizedTest
    @ValueSource(strings = {"/v1/audit/events", "/v1/audit/integrity", "/v1/audit/forwarding"})
    void auditorsAndAdminsMayRead(String path) {
        given().header("Authorization", TestTokens.bearer("ada", "auditor")).get(path).then().statusCode(200);
        given().header("Authorization", TestTokens.bearer("root", "admin")).get(path).then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/audit/events", "/v1/audit/integrity", "/v1/audit/forwarding"})
    void otherRolesAreForbidden(String path) {
        given().header("Authorization", TestTokens.bearer("bob", "user")).get(path).then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strongroom.dev/problems/forbidden"));
        given().header("Authorization", TestTokens.bearer("ci", "kms")).get(path).then().statusCode(403);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/audit/events", "/v1/audit/integrity", "/v1/audit/forwarding"})
    void badOrMissingTokensAreUnauthenticated(String path) {
        given().get(path).then().statusCode(401).contentType("application/problem+json");
        String expired = TestTokens.builder().name("ada").roles("auditor").expiresIn(Duration.ofMinutes(-5)).sign();
        given().auth().oauth2(expired).get(path).then().statusCode(401);
        String foreign = TestTokens.builder().name("ada").roles("auditor").issuer("https://evil.example").sign();
        given().auth().oauth2(foreign).get(path).then().statusCode(401);
        String token = TestTokens.token("ada", "auditor");
        String tampered = token.substring(0, token.lastIndexOf('.') - 4) + "AAAA" + token.substring(token.lastIndexOf('.'));
        given().auth().oauth2(tampered).get(path).then().statusCode(401);
    }
}
