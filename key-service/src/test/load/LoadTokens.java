import dev.strongroom.testing.TestTokens;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes admin/kms tokens (valid 15 minutes) and the URL of their JWKS into the directory given, for
 * load-test.sh, then keeps serving that JWKS over HTTP until killed (quarkus-oidc fetches keys over HTTP only).
 */
public class LoadTokens {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String jwksUrl = TestTokens.jwksUrl();
        Files.writeString(dir.resolve("admin.jwt"), TestTokens.token("load-admin", "admin"));
        Files.writeString(dir.resolve("kms.jwt"), TestTokens.builder().name("load-service").type("service").roles("kms").sign());
        Files.writeString(dir.resolve("jwks-url"), jwksUrl);
        Thread.currentThread().join();
    }
}
