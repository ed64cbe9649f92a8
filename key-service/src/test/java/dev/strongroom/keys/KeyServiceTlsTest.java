package dev.strongroom.keys;

import static dev.strongroom.keys.KeyTestSupport.createKey;
import static dev.strongroom.keys.KeyTestSupport.uniqueName;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strongroom.common.tls.ServiceTls;
import dev.strongroom.crypto.client.DataKey;
import dev.strongroom.crypto.client.KeyServiceClient;
import dev.strongroom.crypto.client.KeyServiceException;
import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import dev.strongroom.testing.TestCa;
import dev.strongroom.testing.TestTokens;
import dev.strongroom.testing.TlsTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * key-service serving HTTPS with a certificate of a private CA (TLS registry configuration {@code strongroom}),
 * called the way auth-service and secrets-service call it: trusting that CA through {@link ServiceTls} works;
 * a client that does not trust it, or reaches it under a name the certificate does not carry, is refused.
 */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(RootKeyTestResource.class)
@WithTestResource(TlsTestResource.class)
class KeyServiceTlsTest {

    private static final byte[] AD = "secret/tls/version/1".getBytes(UTF_8);

    @TestHTTPResource(value = "/", tls = true)
    URI https;

    @Inject
    ServiceTls tls;

    @Inject
    Vertx vertx;

    private KeyServiceClient client(URI base, SSLContext trust) {
        return KeyServiceClient.builder(base)
                .bearerToken(() -> TestTokens.builder().name("secrets-service").type("service").roles("kms").sign())
                .timeout(Duration.ofSeconds(5))
                .sslContext(trust)
                .build();
    }

    @Test
    void aClientTrustingTheServiceCaGetsADataKeyOverHttps() {
        assertThat(https.getScheme()).isEqualTo("https");
        String kek = uniqueName("tls");
        createKey(kek).statusCode(201);

        DataKey dataKey = join(client(https, tls.sslContext()).dataKey(kek, AD));

        assertThat(join(client(https, tls.sslContext()).decrypt(kek, dataKey.ciphertext(), AD))).isEqualTo(dataKey.plaintext().reveal());
    }

    @Test
    void aClientTrustingAnotherCaOrOnlyTheJvmsIsRefusedInTheHandshake() throws Exception {
        String kek = uniqueName("tls");
        createKey(kek).statusCode(201);
        TestCa other = TestCa.create("Some other CA");

        for (SSLContext untrusted : new SSLContext[] {other.trustingOnlyThis(), SSLContext.getDefault()}) {
            assertThatThrownBy(() -> join(client(https, untrusted).dataKey(kek, AD)))
                    .isInstanceOfSatisfying(KeyServiceException.class, e -> assertThat(e.status()).isZero())
                    .satisfies(e -> assertThat(causes(e)).hasAtLeastOneElementOfType(SSLHandshakeException.class));
        }
    }

    @Test
    void aNameTheCertificateDoesNotCarryIsRefused() {
        // 127.0.0.2 is this host too, but the certificate names only localhost and 127.0.0.1
        URI otherName = URI.create("https://127.0.0.2:" + https.getPort() + "/");
        assertThatThrownBy(() -> join(client(otherName, tls.sslContext()).dataKey(uniqueName("tls"), AD)))
                .isInstanceOf(KeyServiceException.class)
                .satisfies(e -> assertThat(causes(e)).hasAtLeastOneElementOfType(SSLHandshakeException.class))
                .rootCause().hasMessageContaining("127.0.0.2");
    }

    @Test
    void vertxClientsConfiguredByServiceTlsVerifyTheServiceCa() {
        WebClient trusting = WebClient.create(vertx, tls.configure(new WebClientOptions().setSsl(true)));
        WebClient plain = WebClient.create(vertx, new WebClientOptions().setSsl(true));
        try {
            assertThat(trusting.getAbs(https.resolve("/q/health/live").toString()).sendAndAwait().statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> plain.getAbs(https.resolve("/q/health/live").toString()).sendAndAwait())
                    .satisfies(e -> assertThat(causes(e)).hasAtLeastOneElementOfType(SSLHandshakeException.class));
        } finally {
            trusting.close();
            plain.close();
        }
    }

    private static java.util.List<Throwable> causes(Throwable failure) {
        java.util.List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
