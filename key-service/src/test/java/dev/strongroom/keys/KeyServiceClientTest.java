package dev.strongroom.keys;

import static dev.strongroom.keys.KeyTestSupport.ADMIN;
import static dev.strongroom.keys.KeyTestSupport.createKey;
import static dev.strongroom.keys.KeyTestSupport.uniqueName;
import static io.restassured.RestAssured.given;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.aead.KmsEnvelopeAead;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.strongroom.crypto.DecryptionFailedException;
import dev.strongroom.crypto.client.DataKey;
import dev.strongroom.crypto.client.KeyServiceClient;
import dev.strongroom.crypto.client.KeyServiceException;
import dev.strongroom.crypto.client.KeyServiceKmsClient;
import dev.strongroom.crypto.envelope.DataKeyCache;
import dev.strongroom.crypto.envelope.EnvelopeEncryption;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import dev.strongroom.testing.TestTokens;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** common-crypto's key-service client, envelope encryption and Tink KmsClient against the real key-service over HTTP. */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(RootKeyTestResource.class)
class KeyServiceClientTest {

    private static final byte[] AD = "secret/0192f7c4-aaaa/version/1".getBytes(UTF_8);

    @TestHTTPResource("/")
    URI base;

    private final AtomicInteger tokensAsked = new AtomicInteger();

    private KeyServiceClient client(String... roles) {
        return KeyServiceClient.builder(base)
                .bearerToken(() -> {
                    tokensAsked.incrementAndGet();
                    return TestTokens.builder().name("secrets-service").type("service").roles(roles).sign();
                })
                .timeout(Duration.ofSeconds(5))
                .build();
    }

    @Test
    void envelopeRoundTripThroughKeyService() {
        String kek = uniqueName("secrets");
        createKey(kek).statusCode(201);
        DataKeyCache cache = new DataKeyCache(100, Duration.ofMinutes(1));
        EnvelopeEncryption envelopes = new EnvelopeEncryption(client("kms"), cache);

        byte[] envelope = join(envelopes.encrypt(kek, "hunter2".getBytes(UTF_8), AD));
        assertThat(EnvelopeEncryption.describe(envelope).kekName()).isEqualTo(kek);
        assertThat(EnvelopeEncryption.describe(envelope).kekVersion()).isEqualTo(1);
        assertThat(tokensAsked.get()).isEqualTo(1);

        cache.clear();
        assertThat(join(envelopes.decrypt(envelope, AD))).asString(UTF_8).isEqualTo("hunter2");
        assertThat(join(envelopes.decrypt(envelope, AD))).asString(UTF_8).isEqualTo("hunter2");
        assertThat(cache.misses()).isEqualTo(1);
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(tokensAsked.get()).as("the hot read made no call").isEqualTo(2);

        cache.clear();
        assertThatThrownBy(() -> join(envelopes.decrypt(envelope, "secret/other/version/1".getBytes(UTF_8))))
                .isInstanceOf(DecryptionFailedException.class);
    }

    @Test
    void afterRotationNewEnvelopesCarryTheNewVersionAndRewrapMovesOldOnes() {
        String kek = uniqueName("secrets");
        createKey(kek).statusCode(201);
        EnvelopeEncryption envelopes = new EnvelopeEncryption(client("kms"), DataKeyCache.disabled());
        byte[] old = join(envelopes.encrypt(kek, "v1".getBytes(UTF_8), AD));
        given().header("Authorization", ADMIN).post("/v1/keys/" + kek + "/rotate").then().statusCode(200);

        byte[] fresh = join(envelopes.encrypt(kek, "v2".getBytes(UTF_8), AD));
        byte[] rewrapped = join(envelopes.rewrap(old, AD));

        assertThat(EnvelopeEncryption.describe(fresh).kekVersion()).isEqualTo(2);
        assertThat(EnvelopeEncryption.describe(rewrapped).kekVersion()).isEqualTo(2);
        assertThat(join(envelopes.decrypt(old, AD))).asString(UTF_8).isEqualTo("v1");
        assertThat(join(envelopes.decrypt(rewrapped, AD))).asString(UTF_8).isEqualTo("v1");
    }

    @Test
    void tinkKmsEnvelopeAeadWorksWithStrongroomKmsUris() throws Exception {
        String kek = uniqueName("tink");
        createKey(kek).statusCode(201);
        KeyServiceKmsClient kms = new KeyServiceKmsClient(client("kms"));
        assertThat(kms.doesSupport("strongroom-kms://" + kek)).isTrue();
        assertThat(kms.doesSupport("aws-kms://arn:aws:kms:eu-west-1:1:key/x")).isFalse();

        Aead envelope = KmsEnvelopeAead.create(PredefinedAeadParameters.AES256_GCM, kms.getAead(KeyServiceKmsClient.keyUri(kek)));
        byte[] ciphertext = envelope.encrypt("tink value".getBytes(UTF_8), AD);

        assertThat(envelope.decrypt(ciphertext, AD)).asString(UTF_8).isEqualTo("tink value");
        assertThatThrownBy(() -> envelope.decrypt(ciphertext, "other".getBytes(UTF_8))).isInstanceOf(GeneralSecurityException.class);
        Aead remote = kms.getAead(KeyServiceKmsClient.keyUri(kek));
        assertThat(remote.decrypt(remote.encrypt("direct".getBytes(UTF_8), AD), AD)).asString(UTF_8).isEqualTo("direct");
    }

    @Test
    void dataKeyAndErrorsAreTyped() {
        String kek = uniqueName("dk");
        createKey(kek).statusCode(201);
        DataKey dataKey = join(client("kms").dataKey(kek, AD));
        assertThat(dataKey.plaintext().length()).isEqualTo(32);
        assertThat(dataKey.toString()).doesNotContain(java.util.Base64.getEncoder().encodeToString(dataKey.plaintext().reveal()));
        assertThat(join(client("kms").decrypt(kek, dataKey.ciphertext(), AD))).isEqualTo(dataKey.plaintext().reveal());

        assertThatThrownBy(() -> join(client("user").encrypt(kek, new byte[] {1}, AD)))
                .isInstanceOfSatisfying(KeyServiceException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> join(client("kms").encrypt("no-such-key", new byte[] {1}, AD)))
                .isInstanceOfSatisfying(KeyServiceException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.problemType()).endsWith("/not-found");
                });
        KeyServiceClient unreachable = KeyServiceClient.builder(URI.create("http://127.0.0.1:1")).timeout(Duration.ofSeconds(1)).build();
        assertThatThrownBy(() -> join(unreachable.encrypt(kek, new byte[] {1}, AD)))
                .isInstanceOfSatisfying(KeyServiceException.class, e -> assertThat(e.status()).isZero());
    }

    @Test
    void resultsReturnToTheVertxContextSoHibernateReactiveCanContinue() throws Throwable {
        String kek = uniqueName("hr");
        createKey(kek).statusCode(201);
        EnvelopeEncryption envelopes = new EnvelopeEncryption(client("kms"), DataKeyCache.disabled());

        // The recipe of docs/keys.md: key-service answers complete on the HTTP client's threads;
        // hop back to the caller's Vert.x context before touching the reactive session again.
        long keys = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> {
            Context context = Vertx.currentContext();
            return Uni.createFrom().completionStage(() -> envelopes.encrypt(kek, "v".getBytes(UTF_8), AD))
                    .emitOn(command -> context.runOnContext(ignored -> command.run()))
                    .chain(envelope -> Uni.createFrom().completionStage(() -> envelopes.decrypt(envelope, AD)))
                    .emitOn(command -> context.runOnContext(ignored -> command.run()))
                    .chain(plaintext -> Key.count());
        }));
        assertThat(keys).isPositive();
    }

    static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
