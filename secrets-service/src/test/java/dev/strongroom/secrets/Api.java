package dev.strongroom.secrets;

import static io.restassured.RestAssured.given;

import dev.strongroom.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** HTTP helpers for secrets-service tests: callers with tokens, and every plaintext a test ever sent. */
final class Api {

    /** Every value sent or generated in the tests; nothing may find them in the database or the logs. */
    static final Set<String> PLAINTEXTS = ConcurrentHashMap.newKeySet();

    private Api() {}

    /** The header sharing-service's own token travels in (share-value). */
    static final String SHARING_SERVICE = "X-Strongroom-Service-Token";

    /** A token of sharing-service's service account (role sharing). */
    static String sharingServiceToken() {
        return TestTokens.builder().type("service").name("sharing-service").roles("sharing").sessionId(null).sign();
    }

    static RequestSpecification as(String user, String... roles) {
        return given().header("Authorization", TestTokens.bearer(user, roles.length == 0 ? new String[] {"user"} : roles))
                .contentType(ContentType.JSON);
    }

    static RequestSpecification asWorkload(String namespaceAndAccount) {
        return given().header("Authorization", "Bearer " + TestTokens.builder().type("workload").name(namespaceAndAccount)
                        .roles("workload").sign())
                .contentType(ContentType.JSON);
    }

    static RequestSpecification asService(String name, String... roles) {
        return given().header("Authorization", "Bearer " + TestTokens.builder().type("service").name(name).roles(roles).sign())
                .contentType(ContentType.JSON);
    }

    /** A fresh, recognisable plaintext (registered for the leak scans). */
    static String plaintext(String label) {
        String value = "pt-" + label + "-" + UUID.randomUUID();
        PLAINTEXTS.add(value);
        return value;
    }

    static String uniqueName(String prefix) {
        return prefix + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a secret owned by {@code user} and returns its id. */
    static String create(String user, String name, String environment, String value) {
        return create(user, Map.of("name", name, "environment", environment, "value", value));
    }

    static String create(String user, Map<String, ?> body) {
        if (body.get("value") instanceof String value) {
            PLAINTEXTS.add(value);
        }
        return as(user).body(body).post("/v1/secrets").then().statusCode(201).extract().path("id");
    }

    static ValidatableResponse reveal(String user, String id) {
        return as(user).get("/v1/secrets/" + id + "/value").then();
    }

    static void grant(String owner, String id, Map<String, List<String>> grants) {
        List<Map<String, Object>> list = grants.entrySet().stream()
                .map(e -> Map.<String, Object>of("principal", e.getKey(), "permissions", e.getValue()))
                .toList();
        as(owner).body(Map.of("grants", list)).put("/v1/secrets/" + id + "/access").then().statusCode(200);
    }

    static Map<String, Object> body(Object... keyValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
