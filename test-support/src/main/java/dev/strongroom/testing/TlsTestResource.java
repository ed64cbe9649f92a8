package dev.strongroom.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Makes the app under test serve HTTPS (beside plain HTTP) with a certificate of a fresh {@link TestCa}, through the
 * Quarkus TLS registry configuration {@value #NAME}, and trust that CA for its own calls to our services
 * ({@code strongroom.tls.trust-configuration}): the configuration docs/security.md describes for production.
 * {@link #ca()} is the CA, for the test's clients.
 */
public class TlsTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String NAME = "strongroom";

    private static volatile TestCa ca;

    /** The CA of the running app's certificate. */
    public static TestCa ca() {
        return ca;
    }

    @Override
    public Map<String, String> start() {
        TestCa created = TestCa.create("Strongroom test CA");
        ca = created;
        return Map.of(
                "quarkus.tls." + NAME + ".key-store.pem.0.cert", created.serverCertPem().toString(),
                "quarkus.tls." + NAME + ".key-store.pem.0.key", created.serverKeyPem().toString(),
                "quarkus.tls." + NAME + ".trust-store.pem.certs", created.caPem().toString(),
                "quarkus.http.tls-configuration-name", NAME,
                "quarkus.http.test-ssl-port", "0",
                "strongroom.tls.trust-configuration", NAME);
    }

    @Override
    public void stop() {}
}
