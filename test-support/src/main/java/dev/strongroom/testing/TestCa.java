package dev.strongroom.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away certificate authority for TLS tests, made offline with the JDK's {@code keytool}: the CA
 * certificate and one server certificate it signed for {@code localhost} and {@code 127.0.0.1}, as the PEM files
 * the Quarkus TLS registry reads ({@link #caPem()}, {@link #serverCertPem()} with the chain, {@link #serverKeyPem()}
 * PKCS#8). Valid for two days.
 */
public final class TestCa {

    private static final String PASSWORD = "test-ca-store";

    private final Path dir;

    private TestCa(Path dir) {
        this.dir = dir;
    }

    /** A new CA named {@code name} with its server certificate, written under a new temporary folder. */
    public static TestCa create(String name) {
        try {
            Path dir = Files.createTempDirectory("strongroom-ca-");
            dir.toFile().deleteOnExit();
            TestCa ca = new TestCa(dir);
            ca.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                    "-dname", "CN=" + name, "-ext", "bc:c", "-keystore", "ca.p12");
            ca.keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                    "-dname", "CN=localhost", "-keystore", "server.p12");
            ca.keytool("-certreq", "-alias", "server", "-keystore", "server.p12", "-file", "server.csr");
            ca.keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", "server.csr", "-outfile", "server.crt",
                    "-rfc", "-validity", "2", "-ext", "san=dns:localhost,ip:127.0.0.1", "-ext", "eku=serverAuth");
            ca.keytool("-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-rfc", "-file", "ca.pem");
            Files.writeString(ca.serverCertPem(), Files.readString(dir.resolve("server.crt")) + Files.readString(ca.caPem()));
            KeyStore server = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
                server.load(in, PASSWORD.toCharArray());
            }
            byte[] key = server.getKey("server", PASSWORD.toCharArray()).getEncoded();
            Files.writeString(ca.serverKeyPem(), "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key)
                    + "\n-----END PRIVATE KEY-----\n");
            return ca;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CA certificate (PEM): what a client trusts. */
    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    /** The server certificate followed by the CA's (PEM). */
    public Path serverCertPem() {
        return dir.resolve("server-chain.pem");
    }

    /** The server's private key (PKCS#8 PEM). */
    public Path serverKeyPem() {
        return dir.resolve("server-key.pem");
    }

    /** A TLS context that trusts this CA and nothing else. */
    public SSLContext trustingOnlyThis() {
        try (InputStream in = Files.newInputStream(caPem())) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void keytool(String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC")); // five short runs: start fast
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-noprompt"));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
