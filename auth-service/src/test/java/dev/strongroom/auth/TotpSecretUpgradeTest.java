package dev.strongroom.auth;

import static dev.strongroom.auth.Api.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.strongroom.auth.service.Base32;
import dev.strongroom.auth.service.Totp;
import dev.strongroom.auth.service.TotpSecretUpgrade;
import dev.strongroom.crypto.envelope.Envelope;
import dev.strongroom.crypto.envelope.EnvelopeEncryption;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.KeyServiceTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Upgrading an installation whose TOTP secrets are plaintext: sealed at start-up, idempotently, and still usable. */
@QuarkusTest
@WithTestResource(LegacyTotpDatabase.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(value = KeyServiceTestResource.class, initArgs = {
        @ResourceArg(name = "keks", value = "totp"),
        @ResourceArg(name = "token-property", value = "strongroom.auth.kms.token"),
        @ResourceArg(name = "token-name", value = "auth-service")})
class TotpSecretUpgradeTest {

    @Inject
    TotpSecretUpgrade upgrade;

    @Test
    void plaintextSecretsAreSealedAtStartAndKeepWorking() throws Throwable {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> upgrade.done());
        List<byte[]> sealed = new ArrayList<>();
        for (int i = 0; i < LegacyTotpDatabase.ACTIVE_ACCOUNTS; i++) {
            String id = LegacyTotpDatabase.id("legacy-" + i);
            byte[] stored = TotpSecretEncryptionTest.column(id, "totp_secret");
            assertThat(stored[0]).as("legacy-" + i).isEqualTo(Envelope.FORMAT);
            assertThat(EnvelopeEncryption.describe(stored).kekName()).isEqualTo("totp");
            sealed.add(stored);
            TotpSecretEncryptionTest.assertNowhereInTheDatabase(LegacyTotpDatabase.secret(i),
                    Base32.decode(LegacyTotpDatabase.secret(i)));
        }
        String pendingId = LegacyTotpDatabase.id("legacy-pending");
        assertThat(TotpSecretEncryptionTest.column(pendingId, "totp_pending_secret")[0]).isEqualTo(Envelope.FORMAT);
        assertThat(TotpSecretEncryptionTest.column(pendingId, "totp_secret")).isNull();
        TotpSecretEncryptionTest.assertNowhereInTheDatabase(LegacyTotpDatabase.PENDING_SECRET,
                Base32.decode(LegacyTotpDatabase.PENDING_SECRET));
        // Not base32: left alone (and logged), not destroyed.
        assertThat(TotpSecretEncryptionTest.column(LegacyTotpDatabase.id("legacy-broken"), "totp_secret"))
                .isEqualTo(LegacyTotpDatabase.ascii(LegacyTotpDatabase.BROKEN_SECRET));
        assertThat(TotpSecretEncryptionTest.column(LegacyTotpDatabase.id("legacy-plain"), "totp_secret")).isNull();

        // Running it again changes nothing.
        TotpSecretUpgrade.Result again = VertxContextSupport.subscribeAndAwait(() -> upgrade.run());
        assertThat(again).isEqualTo(new TotpSecretUpgrade.Result(0, 1));
        for (int i = 0; i < LegacyTotpDatabase.ACTIVE_ACCOUNTS; i++) {
            assertThat(TotpSecretEncryptionTest.column(LegacyTotpDatabase.id("legacy-" + i), "totp_secret")).isEqualTo(sealed.get(i));
        }

        // The sealed secrets are the same secrets: the authenticator apps keep working.
        long now = Totp.step(System.currentTimeMillis() / 1000);
        for (int i = 0; i < LegacyTotpDatabase.ACTIVE_ACCOUNTS; i++) {
            byte[] key = Base32.decode(LegacyTotpDatabase.secret(i));
            String ip = Api.newIp();
            Api.login(ip, "legacy-" + i, PASSWORD, null).statusCode(401)
                    .body("type", equalTo("https://strongroom.dev/problems/mfa-required"));
            Api.login(ip, "legacy-" + i, PASSWORD, Totp.code(key, now, 6, "HmacSHA1")).statusCode(200);
        }
        // The pending enrolment can be confirmed with its code.
        String access = Api.tokens("legacy-pending")[0];
        given().auth().oauth2(access).contentType("application/json")
                .body(Map.of("code", Totp.code(Base32.decode(LegacyTotpDatabase.PENDING_SECRET), now, 6, "HmacSHA1")))
                .post("/v1/auth/mfa/totp/confirm").then().statusCode(200);
        assertThat(TotpSecretEncryptionTest.column(pendingId, "totp_secret")[0]).isEqualTo(Envelope.FORMAT);
        // The broken account: its codes are refused like wrong ones, never a 500.
        Api.login(Api.newIp(), "legacy-broken", PASSWORD, "123456").statusCode(401)
                .body("type", equalTo("https://strongroom.dev/problems/invalid-credentials"));
    }
}
