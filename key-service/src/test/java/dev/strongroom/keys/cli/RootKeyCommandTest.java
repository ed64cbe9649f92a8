package dev.strongroom.keys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strongroom.crypto.keys.RootKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code key-service generate-root-key FILE}: a usable root key, owner-only, never overwritten. */
class RootKeyCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesAnOwnerOnlyTinkKeysetThatLoadsAsRootKey() throws Exception {
        Path file = dir.resolve("keys/root-key.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = KeyServiceMain.generateRootKey(new String[] {"generate-root-key", file.toString()}, print(out), print(new ByteArrayOutputStream()));

        assertThat(exit).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        RootKey root = RootKey.load(file.toString());
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(root.ref()).contains("strongroom.keys.root=" + file.toAbsolutePath());
        byte[] sealed = root.aead().encrypt("x".getBytes(StandardCharsets.UTF_8), "ad".getBytes(StandardCharsets.UTF_8));
        assertThat(RootKey.load("file:" + file).aead().decrypt(sealed, "ad".getBytes(StandardCharsets.UTF_8))).containsExactly('x');
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("keyValue").doesNotContain(Files.readString(file));
    }

    @Test
    void neverOverwritesAnExistingFile() throws Exception {
        Path file = dir.resolve("root-key.json");
        Files.writeString(file, "precious");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = KeyServiceMain.generateRootKey(new String[] {"generate-root-key", file.toString()}, print(new ByteArrayOutputStream()), print(err));

        assertThat(exit).isEqualTo(1);
        assertThat(Files.readString(file)).isEqualTo("precious");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("refusing to overwrite");
        assertThat(KeyServiceMain.generateRootKey(new String[] {"generate-root-key"}, print(new ByteArrayOutputStream()), print(err))).isEqualTo(2);
    }

    @Test
    void rootKeySpecsReadFilesAndEnvironmentVariablesAndRefuseTheRest() throws Exception {
        Path file = dir.resolve("root.json");
        RootKeyGenerator.generate(file);
        String json = Files.readString(file);

        RootKey fromEnv = RootKey.load("env:STRONGROOM_ROOT_KEYSET", name -> name.equals("STRONGROOM_ROOT_KEYSET") ? json : null);
        assertThat(fromEnv.ref()).isEqualTo(RootKey.load(file.toString()).ref());
        assertThat(catchMessage(() -> RootKey.load("env:MISSING", name -> null))).contains("MISSING is not set");
        assertThat(catchMessage(() -> RootKey.load(dir.resolve("absent.json").toString()))).contains("cannot read the root key file");
        assertThat(catchMessage(() -> RootKey.load("env:BAD", name -> "{\"not\":\"a keyset\"}"))).contains("is not a Tink AEAD keyset");
        assertThat(catchMessage(() -> RootKey.load("  "))).contains("strongroom.keys.root");
        assertThat(fromEnv.toString()).isEqualTo("RootKey[" + fromEnv.ref() + "]");
    }

    @Test
    void cloudKmsUrisGoThroughTinksKmsClientsUpToTheNetwork() {
        String aws = "aws-kms://arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        RootKey root = RootKey.load(aws);
        assertThat(root.ref()).isEqualTo(aws);
        assertThat(root.aead().getClass().getName()).isEqualTo("com.google.crypto.tink.integration.awskms.AwsKmsAead");

        String gcp = "gcp-kms://projects/p/locations/global/keyRings/strongroom/cryptoKeys/root";
        assertThat(new com.google.crypto.tink.integration.gcpkms.GcpKmsClient().doesSupport(gcp)).isTrue();
        try {
            assertThat(RootKey.load(gcp).ref()).as("with GCP default credentials present").isEqualTo(gcp);
        } catch (IllegalArgumentException e) {
            assertThat(e).hasMessage("cannot use the cloud KMS root key " + gcp + ": cannot load default credentials");
        }
        assertThat(catchMessage(() -> RootKey.load("aws-kms://not-an-arn"))).contains("cannot use the cloud KMS root key aws-kms://not-an-arn");
    }

    private static String catchMessage(Runnable action) {
        try {
            action.run();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a failure");
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
