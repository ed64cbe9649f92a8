package dev.strongroom.sharing;

import static io.restassured.RestAssured.given;

import dev.strongroom.crypto.share.ShareCipher;
import dev.strongroom.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** HTTP helpers for sharing-service tests; remembers every value, token, key and passphrase for the leak scans. */
final class Api {

    /** Values, tokens, keys and passphrases the tests used: nothing may find them in storage, logs or events. */
    static final Set<String> SENSITIVE = ConcurrentHashMap.newKeySet();

    private Api() {}

    /** A caller of sharing-service (the app under test). */
    static RequestSpecification as(String user, String... roles) {
        return given().header("Authorization", TestTokens.bearer(user, roles.length == 0 ? new String[] {"user"} : roles))
                .contentType(ContentType.JSON);
    }

    static RequestSpecification anonymous() {
        return given().contentType(ContentType.JSON);
    }

    /** A caller of the real secrets-service. */
    static RequestSpecification secrets(String user) {
        return given().baseUri(SecretsServiceTestResource.current().baseUrl())
                .header("Authorization", TestTokens.bearer(user, "user"))
                .contentType(ContentType.JSON);
    }

    static String plaintext(String label) {
        String value = "pt-" + label + "-" + UUID.randomUUID();
        SENSITIVE.add(value);
        return value;
    }

    /** Creates a secret owned by {@code user} in secrets-service and returns its id. */
    static String secret(String user, String environment, String value) {
        SENSITIVE.add(value);
        return secrets(user).body(Map.of("name", "share-test/" + UUID.randomUUID().toString().substring(0, 8),
                        "environment", environment, "value", value))
                .post("/v1/secrets").then().statusCode(201).extract().path("id");
    }

    /** Replaces the secret's grants with these ({@code principal → permissions}). */
    static void grants(String owner, String secretId, Map<String, List<String>> grants) {
        secrets(owner).body(Map.of("grants", grants.entrySet().stream()
                        .map(g -> Map.of("principal", g.getKey(), "permissions", g.getValue())).toList()))
                .put("/v1/secrets/" + secretId + "/access").then().statusCode(200);
    }

    /** Creates a share (201) and returns its answer. */
    static JsonPath share(String user, String secretId, Map<String, ?> extra) {
        Map<String, Object> body = new HashMap<>(extra);
        body.put("secretId", secretId);
        if (body.get("passphrase") instanceof String p) {
            SENSITIVE.add(p);
        }
        JsonPath created = as(user).body(body).post("/v1/shares").then().statusCode(201).extract().jsonPath();
        SENSITIVE.add(token(created.getString("url")));
        SENSITIVE.add(key(created.getString("url")));
        return created;
    }

    static String token(String url) {
        String path = url.substring(0, url.indexOf('#'));
        return path.substring(path.lastIndexOf('/') + 1);
    }

    static String key(String url) {
        return url.substring(url.indexOf('#') + 1);
    }

    /** Decrypts an open answer with the link's key, as the share page and the CLI do. */
    static String decrypt(String url, JsonPath opened) {
        byte[] plain = ShareCipher.open(ShareCipher.decodeKey(key(url)), UUID.fromString(opened.getString("id")),
                Base64.getDecoder().decode(opened.getString("ciphertext")));
        return new String(plain, StandardCharsets.UTF_8);
    }
}
