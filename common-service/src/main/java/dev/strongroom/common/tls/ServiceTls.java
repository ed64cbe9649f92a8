package dev.strongroom.common.tls;

import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.quarkus.tls.runtime.config.TlsConfigUtils;
import io.vertx.core.http.HttpClientOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The trust of a service's calls to our other services (key-service, auth-service's token endpoint,
 * secrets-service): the Quarkus TLS registry configuration named by {@code strongroom.tls.trust-configuration}
 * (default {@value #JVM_TRUST}, the JVM's own trust store). With a private CA: define
 * {@code quarkus.tls.strongroom.trust-store.pem.certs=/path/ca.crt} and set the name to {@code strongroom}
 * (docs/security.md, "TLS between services"). quarkus-oidc fetches the JWKS with the same configuration.
 * Host names are verified.
 */
@ApplicationScoped
public class ServiceTls {

    /** The registry's reserved name of the JVM's default trust store. */
    public static final String JVM_TRUST = "javax.net.ssl";

    private final TlsConfigurationRegistry registry;
    private final String name;

    @Inject
    public ServiceTls(TlsConfigurationRegistry registry,
            @ConfigProperty(name = "strongroom.tls.trust-configuration", defaultValue = JVM_TRUST) String name) {
        this.registry = registry;
        this.name = name;
    }

    /** For {@code java.net.http} clients: trusts what the configuration trusts. */
    public SSLContext sslContext() {
        try {
            if (JVM_TRUST.equals(name)) {
                return SSLContext.getDefault();
            }
            return configuration().createSSLContext();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context for strongroom.tls.trust-configuration=" + name, e);
        } catch (Exception e) {
            throw new IllegalStateException("TLS configuration " + name + " cannot make a TLS context: " + e.getMessage(), e);
        }
    }

    /** For Vert.x clients: the configuration's trust store and host-name verification on these options. */
    public <T extends HttpClientOptions> T configure(T options) {
        if (!JVM_TRUST.equals(name)) {
            TlsConfigUtils.configure(options, configuration());
        }
        return options;
    }

    private TlsConfiguration configuration() {
        return registry.get(name).orElseThrow(() -> new IllegalStateException("strongroom.tls.trust-configuration names "
                + name + ", but the TLS registry has no such configuration (quarkus.tls." + name + ".*)"));
    }

    @Override
    public String toString() {
        return "ServiceTls[" + name + "]";
    }
}
