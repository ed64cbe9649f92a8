package dev.strongroom.sharing;

import static dev.strongroom.sharing.Api.anonymous;
import static dev.strongroom.sharing.Api.plaintext;
import static dev.strongroom.sharing.Api.secret;
import static dev.strongroom.sharing.Api.share;
import static dev.strongroom.sharing.Api.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Notifications by email (a real SMTP server) and webhook: opens and burns to the creator, production shares to admins. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(SecretsServiceTestResource.class)
@WithTestResource(NotificationTestResource.class)
class ShareNotificationTest {

    @Test
    void theCreatorHearsOfAnOpenByEmailAndWebhookWithoutTheValue() throws Exception {
        String value = plaintext("notify");
        String creator = "alice-" + UUID.randomUUID().toString().substring(0, 8) + "@strongroom.test";
        var created = share("alice", secret("alice", "staging", value), Map.of("notifyEmail", creator, "maxViews", 2));
        String id = created.getString("id");
        String url = created.getString("url");
        anonymous().body(Map.of()).post("/v1/shares/" + token(url) + "/open").then().statusCode(200);

        MimeMessage mail = awaitMail(creator, id);
        assertThat(mail.getSubject()).isEqualTo("Strongroom: your share was opened");
        String body = mail.getContent().toString();
        assertThat(body).contains(id).contains("1 view(s) left");
        assertThat(body).doesNotContain(value).doesNotContain(token(url)).doesNotContain(Api.key(url));
        String hook = awaitWebhook(id);
        assertThat(hook).contains("was opened").doesNotContain(value).doesNotContain(token(url)).doesNotContain(Api.key(url));
    }

    @Test
    void theCreatorHearsOfABurnAndAdminsOfAProductionShare() throws Exception {
        String creator = "bob-" + UUID.randomUUID().toString().substring(0, 8) + "@strongroom.test";
        var created = share("alice", secret("alice", "production", plaintext("burnt")),
                Map.of("notifyEmail", creator, "passphrase", "letmein please"));
        String id = created.getString("id");
        MimeMessage toAdmins = awaitMail(NotificationTestResource.ADMINS, id);
        assertThat(toAdmins.getSubject()).isEqualTo("Strongroom: a production secret was shared");
        assertThat(toAdmins.getContent().toString()).contains("user:alice").contains("production");
        for (int i = 0; i < 5; i++) {
            anonymous().body(Map.of("passphrase", "nope " + i)).post("/v1/shares/" + token(created.getString("url")) + "/open");
        }
        MimeMessage burnt = awaitMail(creator, id);
        assertThat(burnt.getSubject()).isEqualTo("Strongroom: your share was destroyed");
        assertThat(awaitWebhook(id)).contains(id);
    }

    @Test
    void sharesOutsideWatchedEnvironmentsDoNotMailAdmins() throws Exception {
        var created = share("alice", secret("alice", "development", plaintext("quiet")), Map.of());
        Thread.sleep(1500);
        for (MimeMessage mail : NotificationTestResource.mails()) {
            assertThat(mail.getContent().toString()).doesNotContain(created.getString("id"));
        }
    }

    private static MimeMessage awaitMail(String to, String shareId) {
        MimeMessage[] found = new MimeMessage[1];
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (MimeMessage mail : NotificationTestResource.mails()) {
                if (mail.getAllRecipients() != null && mail.getAllRecipients()[0].toString().equals(to)
                        && mail.getContent().toString().contains(shareId)) {
                    found[0] = mail;
                }
            }
            return found[0] != null;
        });
        return found[0];
    }

    private static String awaitWebhook(String shareId) {
        String[] found = new String[1];
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (String body : NotificationTestResource.webhooks()) {
                if (body.contains(shareId)) {
                    found[0] = body;
                }
            }
            return found[0] != null;
        });
        return found[0];
    }
}
