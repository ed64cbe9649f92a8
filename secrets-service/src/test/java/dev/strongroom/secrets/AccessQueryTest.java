package dev.strongroom.secrets;

import static dev.strongroom.secrets.Api.as;
import static dev.strongroom.secrets.Api.create;
import static dev.strongroom.secrets.Api.grant;
import static dev.strongroom.secrets.Api.plaintext;
import static dev.strongroom.secrets.Api.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strongroom.secrets.repository.AccessQuery;
import dev.strongroom.secrets.repository.Found;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.KeyServiceTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The reveals' one access query: the fields a reveal needs of secret and version, and the OR of the caller's grants. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(value = KeyServiceTestResource.class,
        initArgs = @ResourceArg(name = "token-property", value = "strongroom.secrets.kms.token"))
class AccessQueryTest {

    @Inject
    AccessQuery lookup;

    @Test
    void findsSecretVersionAndTheOrOfTheCallersGrants() {
        String name = uniqueName("lookup");
        String id = create("olga", Api.body("name", name, "environment", "staging", "value", plaintext("lookup1"),
                "description", "for the lookup", "tags", Map.of("team", "t1"), "rotation", Map.of("intervalDays", 3)));
        as("olga").body(Map.of("value", plaintext("lookup2"))).put("/v1/secrets/" + id + "/value").then().statusCode(200);
        grant("olga", id, Map.of("user:pia", List.of("READ"), "role:ops", List.of("SHARE", "ROTATE")));
        UUID uuid = UUID.fromString(id);

        Found current = lookup.byId(uuid, null, List.of("user:pia", "role:ops", "role:dev")).await().indefinitely();
        assertThat(current.secret().id).isEqualTo(uuid);
        assertThat(current.secret().name).isEqualTo(name);
        assertThat(current.secret().environment).isEqualTo("staging");
        assertThat(current.secret().owner).isEqualTo("user:olga");
        assertThat(current.secret().currentVersion).isEqualTo(2);
        assertThat(current.secret().deletedAt).isNull();
        assertThat(current.version().secretId).isEqualTo(uuid);
        assertThat(current.version().version).isEqualTo(2);
        assertThat(current.version().ciphertext).isNotEmpty();
        assertThat(current.version().createdAt).isNotNull();
        assertThat(current.version().destroyed()).isFalse();
        assertThat(current.grantedBits()).isEqualTo(Permission.READ.bit() | Permission.SHARE.bit() | Permission.ROTATE.bit());

        Found first = lookup.byName("staging", name, 1, List.of("user:pia")).await().indefinitely();
        assertThat(first.version().version).isEqualTo(1);
        assertThat(first.version().ciphertext).isNotEqualTo(current.version().ciphertext);
        assertThat(first.grantedBits()).isEqualTo(Permission.READ.bit());

        assertThat(lookup.byId(uuid, 9, List.of("user:pia")).await().indefinitely().version()).as("no version 9").isNull();
        assertThat(lookup.byId(uuid, null, List.of("user:nobody")).await().indefinitely().grantedBits()).isZero();
        assertThat(lookup.byId(UUID.randomUUID(), null, List.of("user:pia")).await().indefinitely()).isNull();
        assertThat(lookup.byName("production", name, null, List.of("user:pia")).await().indefinitely()).isNull();

        // More principals than one query's slots: looked up in rounds, the bits of every round OR-ed.
        List<String> many = new java.util.ArrayList<>(List.of("user:pia"));
        for (int i = 0; i < 13; i++) {
            many.add("role:r" + i);
        }
        many.add("role:ops");
        Found rounds = lookup.byId(uuid, null, many).await().indefinitely();
        assertThat(rounds.version().version).isEqualTo(2);
        assertThat(rounds.grantedBits()).isEqualTo(Permission.READ.bit() | Permission.SHARE.bit() | Permission.ROTATE.bit());

        // A batch: current versions by name, absent names missing.
        Map<String, Found> batch = lookup.byNames("staging", List.of(name, "absent-" + name), List.of("role:ops")).await().indefinitely();
        assertThat(batch).containsOnlyKeys(name);
        assertThat(batch.get(name).version().version).isEqualTo(2);
        assertThat(batch.get(name).grantedBits()).isEqualTo(Permission.SHARE.bit() | Permission.ROTATE.bit());
    }
}
