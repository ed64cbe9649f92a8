package dev.strongroom.keys;

import static io.restassured.RestAssured.given;

import dev.strongroom.testing.AppDatabase;
import dev.strongroom.testing.ByteSearch;
import dev.strongroom.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/** Small helpers shared by key-service's HTTP tests. */
final class KeyTestSupport {

    static final String ADMIN = TestTokens.bearer("root", "admin");
    /** secrets-service's service token: granted every key in tests (%test.strongroom.keys.grants). */
    static final String KMS = "Bearer " + TestTokens.builder().name("secrets-service").type("service").roles("kms").sign();
    /** Another service with the kms role, granted only keys named declared-*. */
    static final String OTHER_KMS = "Bearer " + TestTokens.builder().name("other-service").type("service").roles("kms").sign();
    static final String USER = TestTokens.bearer("bob", "user");

    private KeyTestSupport() {}

    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static byte[] unb64(String text) {
        return Base64.getDecoder().decode(text);
    }

    static ValidatableResponse createKey(String name) {
        return given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", name, "algorithm", "AES256_GCM"))
                .post("/v1/keys").then();
    }

    static ValidatableResponse call(String auth, String name, String operation, Map<String, ?> body) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (auth != null) {
            request.header("Authorization", auth);
        }
        return request.post("/v1/keys/" + name + "/" + operation).then();
    }

    static Connection database() throws SQLException {
        return AppDatabase.connect();
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        return ByteSearch.indexOf(haystack, needle);
    }
}
