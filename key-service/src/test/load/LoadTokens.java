import dev.strongroom.testing.TestTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a JWKS and admin/kms tokens (valid 15 minutes) into the directory given, for load-test.sh. */
public class LoadTokens {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.copy(TestTokens.jwksFile(), dir.resolve("jwks.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve("admin.jwt"), TestTokens.token("load-admin", "admin"));
        Files.writeString(dir.resolve("kms.jwt"), TestTokens.builder().name("load-service").type("service").roles("kms").sign());
    }
}
