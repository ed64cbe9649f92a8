package dev.strongroom.common.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Audit events refuse details that would carry secret material. */
class SensitiveDataGuardTest {

    @ParameterizedTest
    @ValueSource(strings = {"password", "newPassword", "clientSecret", "secret", "token", "refreshToken", "accessToken",
            "apiKey", "privateKey", "key", "value", "secretValue", "plaintext", "ciphertext", "totpSecret", "recoveryCodes",
            "passphrase", "tokenHash", "authorization", "cookie", "jwt", "credentials"})
    void refusesKeysNamingSecretMaterial(String key) {
        assertThatIllegalArgumentException().isThrownBy(() -> AuditEvent.of("secret.updated").detail(key, "x"))
                .withMessageContaining(key)
                .withMessageContaining("secret material");
    }

    @ParameterizedTest
    @ValueSource(strings = {"secretId", "secretName", "keyVersion", "keyName", "tokenCount", "valueLength", "previousVersion",
            "permissions", "environment", "grantee", "viewsLeft", "ttlSeconds", "tokenFamily", "passwordChanged", "mfaEnabled"})
    void acceptsReferencesAndOrdinaryKeys(String key) {
        AuditEvent event = AuditEvent.of("secret.updated").detail(key, "x").build("strongroom/test");
        assertThat(event.data().details()).containsEntry(key, "x");
    }

    @Test
    void refusesMalformedKeys() {
        assertThatIllegalArgumentException().isThrownBy(() -> AuditEvent.of("secret.read").detail("Bad Key", 1));
        assertThatIllegalArgumentException().isThrownBy(() -> AuditEvent.of("secret.read").detail("", 1));
    }

    @Test
    void refusesTextThatLooksLikeACredential() {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXBhcnQ";
        assertThatIllegalArgumentException().isThrownBy(() -> AuditEvent.of("user.login").detail("note", "token was " + jwt));
        assertThatIllegalArgumentException().isThrownBy(() -> AuditEvent.of("user.login").reason("Authorization: Bearer abcdefghijklmnopqrstuvwxyz"));
        assertThatIllegalArgumentException().isThrownBy(() -> AuditEvent.of("key.created").detail("note", "-----BEGIN PRIVATE KEY-----\nMIIE"));
        assertThatIllegalArgumentException().isThrownBy(() -> AuditEvent.of("key.created").detail("grants", List.of("ok", jwt)));
        assertThatIllegalArgumentException().isThrownBy(() -> AuditEvent.of("key.created").reason("x".repeat(2000)));
    }

    @Test
    void refusesActionsOutsideTheVocabularyShape() {
        assertThatIllegalArgumentException().isThrownBy(() -> AuditEvent.of("SecretRead"));
        assertThatIllegalArgumentException().isThrownBy(() -> AuditEvent.of("secret"));
        assertThat(AuditEvent.of("user.login_failed").build("strongroom/test").type()).isEqualTo("strongroom.user.login_failed");
    }

    @Test
    void claimedNamesShapedLikeNamesAreKeptAndAnythingElseIsMarked() {
        assertThat(SensitiveDataGuard.claimedName("alice")).isEqualTo("alice");
        assertThat(SensitiveDataGuard.claimedName("ci-deploy.bot_1")).isEqualTo("ci-deploy.bot_1");
        assertThat(SensitiveDataGuard.claimedName(null)).isNull();
        for (String notAName : new String[] {"correct horse battery staple", "hunter2!", "", "x".repeat(65),
                "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl", "Bearer abcdefghijklmnopqrstuvwxyz",
                "alice\nforged line", "-----BEGIN PRIVATE KEY-----"}) {
            assertThat(SensitiveDataGuard.claimedName(notAName)).as(notAName).isEqualTo(SensitiveDataGuard.NOT_A_NAME);
        }
    }
}
