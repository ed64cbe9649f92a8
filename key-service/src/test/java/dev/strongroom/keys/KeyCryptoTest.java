package dev.strongroom.keys;

import static dev.strongroom.keys.KeyTestSupport.KMS;
import static dev.strongroom.keys.KeyTestSupport.b64;
import static dev.strongroom.keys.KeyTestSupport.call;
import static dev.strongroom.keys.KeyTestSupport.createKey;
import static dev.strongroom.keys.KeyTestSupport.indexOf;
import static dev.strongroom.keys.KeyTestSupport.unb64;
import static dev.strongroom.keys.KeyTestSupport.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.proto.EncryptedKeyset;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** encrypt / decrypt / datakey through the HTTP API, failures as 4xx problems, and what the database holds. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(RootKeyTestResource.class)
class KeyCryptoTest {

    @Test
    void encryptDecryptRoundTripWithContext() {
        String name = uniqueName("rt");
        createKey(name).statusCode(201);
        String ciphertext = call(KMS, name, "encrypt", Map.of("plaintext", b64("db-password-1"), "context", b64("secret/1/v1")))
                .statusCode(200)
                .body("keyVersion", equalTo(1))
                .body("ciphertext", not(containsString(b64("db-password-1"))))
                .extract().path("ciphertext");

        call(KMS, name, "decrypt", Map.of("ciphertext", ciphertext, "context", b64("secret/1/v1")))
                .statusCode(200)
                .body("plaintext", equalTo(b64("db-password-1")));
    }

    @Test
    void wrongContextOrFlippedByteIsA400ProblemNotA500() {
        String name = uniqueName("tamper");
        createKey(name).statusCode(201);
        byte[] ciphertext = unb64(call(KMS, name, "encrypt", Map.of("plaintext", b64("value"), "context", b64("secret/1/v1")))
                .extract().path("ciphertext"));

        call(KMS, name, "decrypt", Map.of("ciphertext", b64(ciphertext), "context", b64("secret/1/v2")))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strongroom.dev/problems/decryption-failed"))
                .body("detail", containsString("context differs"));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < ciphertext.length; i++) {
            byte[] flipped = ciphertext.clone();
            flipped[i] ^= 0x01;
            statuses.add(call(KMS, name, "decrypt", Map.of("ciphertext", b64(flipped), "context", b64("secret/1/v1")))
                    .extract().statusCode());
        }
        assertThat(statuses).as("a flipped byte at each position").containsOnly(400);
        given().accept("text/plain").get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("strongroom_kms_operations_total{operation=\"decrypt\",outcome=\"decryption_failed\""))
                .body(containsString("strongroom_kms_operations_total{operation=\"encrypt\",outcome=\"success\""))
                .body(not(containsString(name)));

        String otherKey = uniqueName("other");
        createKey(otherKey).statusCode(201);
        call(KMS, otherKey, "decrypt", Map.of("ciphertext", b64(ciphertext), "context", b64("secret/1/v1")))
                .statusCode(400)
                .body("type", equalTo("https://strongroom.dev/problems/decryption-failed"));
    }

    @Test
    void badBase64Is400AndMissingFieldsAre422() {
        String name = uniqueName("input");
        createKey(name).statusCode(201);
        call(KMS, name, "encrypt", Map.of("plaintext", "not*base64", "context", b64("c")))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("'plaintext' is not valid base64"));
        call(KMS, name, "decrypt", Map.of("ciphertext", "%%%", "context", b64("c")))
                .statusCode(400)
                .body("detail", containsString("'ciphertext'"));
        call(KMS, name, "encrypt", Map.of("plaintext", b64("x")))
                .statusCode(422)
                .body("errors.field", hasItem("context"));
        call(KMS, name, "decrypt", Map.of("context", b64("x")))
                .statusCode(422)
                .body("errors.field", hasItem("ciphertext"));
        call(KMS, name, "encrypt", Map.of("plaintext", b64(new byte[65537]), "context", b64("c")))
                .statusCode(413);
        given().header("Authorization", KMS).contentType(ContentType.JSON).body("{not json")
                .post("/v1/keys/" + name + "/encrypt").then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void dataKeyGivesAFreshKeyWhoseCiphertextDecryptsToIt() {
        String name = uniqueName("dk");
        createKey(name).statusCode(201);
        var first = call(KMS, name, "datakey", Map.of("context", b64("secret/9/v1")))
                .statusCode(200)
                .body("keyVersion", equalTo(1))
                .extract().jsonPath();
        var second = call(KMS, name, "datakey", Map.of()).statusCode(200).extract().jsonPath();

        assertThat(unb64(first.getString("plaintext"))).hasSize(32);
        assertThat(first.getString("plaintext")).isNotEqualTo(second.getString("plaintext"));
        call(KMS, name, "decrypt", Map.of("ciphertext", first.getString("ciphertext"), "context", b64("secret/9/v1")))
                .statusCode(200)
                .body("plaintext", equalTo(first.getString("plaintext")));
    }

    @Test
    void anAbsentContextIsTheEmptyOneForDataKeyDecryptAndRewrap() {
        String name = uniqueName("noctx");
        createKey(name).statusCode(201);
        var withoutContext = call(KMS, name, "datakey", Map.of()).statusCode(200).extract().jsonPath();
        var emptyContext = call(KMS, name, "datakey", Map.of("context", "")).statusCode(200).extract().jsonPath();
        for (var dataKey : List.of(withoutContext, emptyContext)) {
            String ciphertext = dataKey.getString("ciphertext");
            call(KMS, name, "decrypt", Map.of("ciphertext", ciphertext))
                    .statusCode(200)
                    .body("plaintext", equalTo(dataKey.getString("plaintext")));
            call(KMS, name, "decrypt", Map.of("ciphertext", ciphertext, "context", ""))
                    .statusCode(200)
                    .body("plaintext", equalTo(dataKey.getString("plaintext")));
            String rewrapped = call(KMS, name, "rewrap", Map.of("ciphertext", ciphertext)).statusCode(200).extract().path("ciphertext");
            call(KMS, name, "decrypt", Map.of("ciphertext", rewrapped))
                    .statusCode(200)
                    .body("plaintext", equalTo(dataKey.getString("plaintext")));
            // the empty context is still a context: a different one does not open it
            call(KMS, name, "decrypt", Map.of("ciphertext", ciphertext, "context", b64("other")))
                    .statusCode(400)
                    .body("type", equalTo("https://strongroom.dev/problems/decryption-failed"));
        }
    }

    @Test
    void keyRowsHoldOnlySealedKeysetsWithoutRawKeyBytes() throws Exception {
        String name = uniqueName("rows");
        createKey(name).statusCode(201);
        given().header("Authorization", KeyTestSupport.ADMIN).post("/v1/keys/" + name + "/rotate").then().statusCode(200);
        byte[] dataKey = unb64(call(KMS, name, "datakey", Map.of("context", b64("c"))).extract().path("plaintext"));

        final byte[] sealed;
        String sealedBy;
        String wholeRow;
        try (Connection c = KeyTestSupport.database();
                PreparedStatement s = c.prepareStatement("SELECT * FROM kms_keys WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                sealed = rs.getBytes("sealed_keyset");
                sealedBy = rs.getString("sealed_by");
                StringBuilder all = new StringBuilder();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    all.append(rs.getString(i)).append('|');
                }
                wholeRow = all.toString();
            }
        }
        // The row holds a Tink EncryptedKeyset (only ciphertext), not a readable keyset.
        EncryptedKeyset stored = EncryptedKeyset.parseFrom(sealed, com.google.protobuf.ExtensionRegistryLite.getEmptyRegistry());
        assertThat(stored.getEncryptedKeyset().size()).isGreaterThan(64);
        assertThatThrownBy(() -> TinkProtoKeysetFormat.parseKeyset(sealed, InsecureSecretKeyAccess.get()))
                .isInstanceOf(java.security.GeneralSecurityException.class);
        assertThat(sealedBy).isEqualTo(RootKeyTestResource.rootKey().ref());

        // Opened with the root key (which the database never sees), its raw AES keys appear nowhere in the row.
        KeysetHandle opened = TinkProtoKeysetFormat.parseEncryptedKeyset(sealed, RootKeyTestResource.rootKey().aead(),
                ("strongroom-kms/keyset/" + name).getBytes(StandardCharsets.UTF_8));
        assertThat(opened.size()).isEqualTo(2);
        for (int i = 0; i < opened.size(); i++) {
            byte[] raw = ((AesGcmKey) opened.getAt(i).getKey()).getKeyBytes().toByteArray(InsecureSecretKeyAccess.get());
            assertThat(indexOf(sealed, raw)).as("raw key of version %d in sealed_keyset", opened.getAt(i).getId()).isEqualTo(-1);
            assertThat(wholeRow).doesNotContain(b64(raw));
        }
        assertThat(indexOf(sealed, dataKey)).isEqualTo(-1);
        try (Connection c = KeyTestSupport.database();
                PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM kms_key_versions WHERE key_name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        }
    }
}
