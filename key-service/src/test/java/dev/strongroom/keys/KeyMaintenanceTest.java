package dev.strongroom.keys;

import static dev.strongroom.keys.KeyTestSupport.ADMIN;
import static dev.strongroom.keys.KeyTestSupport.KMS;
import static dev.strongroom.keys.KeyTestSupport.b64;
import static dev.strongroom.keys.KeyTestSupport.call;
import static dev.strongroom.keys.KeyTestSupport.createKey;
import static dev.strongroom.keys.KeyTestSupport.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import dev.strongroom.crypto.keys.RootKey;
import dev.strongroom.keys.config.KeysConfig;
import dev.strongroom.keys.repository.KeyRepository;
import dev.strongroom.keys.service.KeyAccess;
import dev.strongroom.keys.service.KeyCryptoService;
import dev.strongroom.keys.service.KeyExport;
import dev.strongroom.keys.service.KeyMaintenanceService;
import dev.strongroom.keys.service.KeysetCache;
import dev.strongroom.keys.service.RootKeys;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Restart, root-key rotation, and backup export/restore, checked against the rows in MariaDB. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(RootKeyTestResource.class)
class KeyMaintenanceTest {

    @Inject
    KeyMaintenanceService maintenance;

    @Inject
    KeyRepository keyRepository;

    @Inject
    KeysetCache appKeysets;

    @Inject
    RootKeys appRoots;

    @Inject
    KeysConfig config;

    @Inject
    ObjectMapper json;

    /** These tests call the service directly, outside a request: access is not what they check. */
    private KeyAccess anyCaller() {
        return new KeyAccess(config, null, null) {
            @Override
            public io.smallrye.mutiny.Uni<Void> check(String name, String operation) {
                return io.smallrye.mutiny.Uni.createFrom().voidItem();
            }
        };
    }

    @Test
    void aFreshServiceInstanceReadsKeysBackFromTheDatabase() throws Throwable {
        String name = uniqueName("restart");
        createKey(name).statusCode(201);
        given().header("Authorization", ADMIN).post("/v1/keys/" + name + "/rotate").then().statusCode(200);
        String ciphertext = call(KMS, name, "encrypt", Map.of("plaintext", b64("kept"), "context", b64("ctx"))).extract().path("ciphertext");

        // Everything a new process would build: the root key from its file, empty caches, the database.
        KeyCryptoService fresh = new KeyCryptoService(keyRepository,
                new KeysetCache(new RootKeys(RootKey.load(RootKeyTestResource.file().toString()), Optional.empty())), config,
                new SimpleMeterRegistry(), anyCaller());
        byte[] plaintext = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(
                () -> fresh.decrypt(name, java.util.Base64.getDecoder().decode(ciphertext), "ctx".getBytes(StandardCharsets.UTF_8))));
        assertThat(plaintext).asString(StandardCharsets.UTF_8).isEqualTo("kept");

        appKeysets.clear();
        call(KMS, name, "decrypt", Map.of("ciphertext", ciphertext, "context", b64("ctx")))
                .statusCode(200)
                .body("plaintext", equalTo(b64("kept")));
    }

    @Test
    void rotateRootResealsEveryKeysetUnderTheNewRootKey() throws Throwable {
        String name = uniqueName("reseal");
        createKey(name).statusCode(201);
        String ciphertext = call(KMS, name, "encrypt", Map.of("plaintext", b64("sealed twice"), "context", b64("ctx"))).extract().path("ciphertext");
        RootKey oldRoot = RootKeyTestResource.rootKey();
        RootKey newRoot = RootKey.load(RootKeyTestResource.newRootKeyFile().toString());

        RootKeys rotated = new RootKeys(newRoot, Optional.of(oldRoot));
        int resealed = VertxContextSupport.subscribeAndAwait(() -> maintenance.resealAll(rotated));
        try {
            Map<String, String> sealedBy = sealedByPerKey();
            assertThat(resealed).isEqualTo(sealedBy.size()).isPositive();
            assertThat(sealedBy.values()).containsOnly(newRoot.ref());
            byte[] sealed = sealedKeyset(name);
            byte[] ad = ("strongroom-kms/keyset/" + name).getBytes(StandardCharsets.UTF_8);
            assertThat(TinkProtoKeysetFormat.parseEncryptedKeyset(sealed, newRoot.aead(), ad).size()).isEqualTo(1);
            assertThatThrownBy(() -> TinkProtoKeysetFormat.parseEncryptedKeyset(sealed, oldRoot.aead(), ad))
                    .isInstanceOf(GeneralSecurityException.class);

            KeyCryptoService withNewRoot = new KeyCryptoService(keyRepository, new KeysetCache(new RootKeys(newRoot, Optional.empty())), config,
                    new SimpleMeterRegistry(), anyCaller());
            byte[] plaintext = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(
                    () -> withNewRoot.decrypt(name, java.util.Base64.getDecoder().decode(ciphertext), "ctx".getBytes(StandardCharsets.UTF_8))));
            assertThat(plaintext).asString(StandardCharsets.UTF_8).isEqualTo("sealed twice");
            assertThat(VertxContextSupport.subscribeAndAwait(() -> maintenance.resealAll(rotated))).as("a second run has nothing to do").isZero();
            // This replica does not hold the new root key: it must not take traffic.
            given().get("/q/health/ready").then()
                    .statusCode(503)
                    .body("checks.find { it.name == 'root key' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'root key' }.data.unknownSealers", equalTo(newRoot.ref()));
        } finally {
            // Back to the app's root key, for the other tests sharing this database.
            VertxContextSupport.subscribeAndAwait(() -> maintenance.resealAll(new RootKeys(oldRoot, Optional.of(newRoot))));
        }
        assertThat(sealedByPerKey().values()).containsOnly(appRoots.currentRef());
        given().get("/q/health/ready").then()
                .statusCode(200)
                .body("checks.find { it.name == 'root key' }.status", equalTo("UP"));
        call(KMS, name, "decrypt", Map.of("ciphertext", ciphertext, "context", b64("ctx")))
                .statusCode(200)
                .body("plaintext", equalTo(b64("sealed twice")));
    }

    @Test
    void exportUnderABackupKeyRestoresALostKey() throws Throwable {
        String name = uniqueName("backup");
        createKey(name).statusCode(201);
        given().header("Authorization", ADMIN).post("/v1/keys/" + name + "/rotate").then().statusCode(200);
        String ciphertext = call(KMS, name, "encrypt", Map.of("plaintext", b64("restored"), "context", b64("ctx"))).extract().path("ciphertext");
        RootKey backupKey = RootKey.load(RootKeyTestResource.newRootKeyFile().toString());

        KeyExport export = VertxContextSupport.subscribeAndAwait(() -> maintenance.export(appRoots, Optional.of(backupKey)));
        KeyExport.ExportedKey exported = export.keys().stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow();
        assertThat(exported.sealedBy()).isEqualTo(backupKey.ref());
        assertThat(exported.primaryVersion()).isEqualTo(2);
        assertThat(exported.versions()).extracting(KeyExport.ExportedVersion::version).containsExactly(1, 2);
        assertThat(exported.sealedKeyset()).isNotEqualTo(sealedKeyset(name));
        KeyExport fromFile = json.readValue(json.writeValueAsBytes(export), KeyExport.class);

        try (Connection c = KeyTestSupport.database(); PreparedStatement s = c.prepareStatement("DELETE FROM kms_keys WHERE name = ?")) {
            s.setString(1, name);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
        appKeysets.clear();
        given().header("Authorization", ADMIN).get("/v1/keys/" + name).then().statusCode(404);

        KeyExport.RestoreResult result = VertxContextSupport.subscribeAndAwait(() -> maintenance.restore(fromFile, appRoots, Optional.of(backupKey)));

        assertThat(result.restored()).containsExactly(name);
        assertThat(result.skippedExisting()).hasSize(export.keys().size() - 1);
        assertThat(sealedByPerKey().get(name)).isEqualTo(appRoots.currentRef());
        given().header("Authorization", ADMIN).get("/v1/keys/" + name).then()
                .statusCode(200)
                .body("primaryVersion", equalTo(2))
                .body("versions.version", contains(1, 2));
        call(KMS, name, "decrypt", Map.of("ciphertext", ciphertext, "context", b64("ctx")))
                .statusCode(200)
                .body("plaintext", equalTo(b64("restored")));
    }

    @Test
    void plainExportKeepsKeysetsAsStoredAndNeedsTheRootKeyToRestore() throws Throwable {
        String name = uniqueName("plainexport");
        createKey(name).statusCode(201);
        KeyExport export = VertxContextSupport.subscribeAndAwait(() -> maintenance.export(appRoots, Optional.empty()));
        KeyExport.ExportedKey exported = export.keys().stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow();

        assertThat(exported.sealedBy()).isEqualTo(appRoots.currentRef());
        assertThat(exported.sealedKeyset()).isEqualTo(sealedKeyset(name));
        RootKeys stranger = new RootKeys(RootKey.load(RootKeyTestResource.newRootKeyFile().toString()), Optional.empty());
        try (Connection c = KeyTestSupport.database(); PreparedStatement s = c.prepareStatement("DELETE FROM kms_keys WHERE name = ?")) {
            s.setString(1, name);
            s.executeUpdate();
        }
        assertThatThrownBy(() -> VertxContextSupport.subscribeAndAwait(() -> maintenance.restore(export, stranger, Optional.empty())))
                .isInstanceOf(RootKeys.SealedKeysetException.class);
        assertThat(VertxContextSupport.subscribeAndAwait(() -> maintenance.restore(export, appRoots, Optional.empty())).restored())
                .containsExactly(name);
    }

    private static Map<String, String> sealedByPerKey() throws Exception {
        Map<String, String> sealedBy = new HashMap<>();
        try (Connection c = KeyTestSupport.database(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name, sealed_by FROM kms_keys")) {
            while (rs.next()) {
                sealedBy.put(rs.getString(1), rs.getString(2));
            }
        }
        return sealedBy;
    }

    private static byte[] sealedKeyset(String name) throws Exception {
        try (Connection c = KeyTestSupport.database(); PreparedStatement s = c.prepareStatement("SELECT sealed_keyset FROM kms_keys WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBytes(1);
            }
        }
    }
}
