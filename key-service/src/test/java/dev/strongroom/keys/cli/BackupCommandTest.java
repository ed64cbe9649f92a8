package dev.strongroom.keys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup commands as ./strongroom backup and restore run them, with stand-in dumps from files. */
class BackupCommandTest {

    /**
     * What mariadb-dump writes, in small: an escaped quote, a parenthesis, a semicolon and a newline inside values;
     * statements on one line and, as the 10.11 client writes them, one tuple per line.
     */
    private static final String AUTH_DUMP = """
            /*M!999999\\- enable the sandbox mode */
            -- MariaDB dump 10.19
            CREATE TABLE `user` (`id` int, `name` varchar(64) COMMENT 'it''s (a) name');
            INSERT INTO `user` VALUES (1,'ann (admin)'),(2,'bo\\'b\\n(;'),(3,0x28292C);
            INSERT INTO `user` VALUES
            (4,'d;'),
            (5,'e');
            INSERT INTO `session` VALUES (1,'x');
            /*!40000 ALTER TABLE `session` ENABLE KEYS */;
            -- Dump completed on 2026-12-05 22:00:00
            """;
    private static final String KEYS_DUMP = """
            CREATE TABLE `key_version` (`k` blob);
            INSERT INTO `key_version` VALUES (_binary 'sealed\\0(bytes)');
            -- Dump completed
            """;

    @TempDir
    Path dir;

    private Path privateKey;
    private Path publicKey;

    @BeforeEach
    void keysAndDumps() throws Exception {
        privateKey = dir.resolve("offline/backup-private.json");
        publicKey = dir.resolve("backup-public.json");
        Result made = run("backup-key", privateKey.toString(), publicKey.toString());
        assertThat(made.exit).as(made.err).isZero();
        Files.writeString(dir.resolve("strongroom_auth.sql"), AUTH_DUMP);
        Files.writeString(dir.resolve("strongroom_keys.sql"), KEYS_DUMP);
    }

    private Result seal(Path archive, String... command) {
        List<String> args = new java.util.ArrayList<>(List.of("backup-seal", "--public-key", publicKey.toString(),
                "--out", archive.toString(), "--info", "strongroomVersion=0.1.0", "--describe", "auth", "schemaVersion=7",
                "--part", "auth=strongroom_auth", "--part", "keys=strongroom_keys", "--"));
        args.addAll(List.of(command));
        return run(args.toArray(String[]::new));
    }

    @Test
    void theKeyPairIsWrittenOnceWithAnOwnerOnlyPrivatePart() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey))).isEqualTo("rw-------");
        assertThat(Files.readString(publicKey)).doesNotContain(Files.readString(privateKey));
        Result again = run("backup-key", privateKey.toString(), dir.resolve("other.json").toString());
        assertThat(again.exit).isEqualTo(1);
        assertThat(again.err).contains("refusing to overwrite");
    }

    @Test
    void sealVerifyAndExtractRoundTripWithRowCountsInTheManifest() throws Exception {
        Path archive = dir.resolve("backup.srbk");
        Result sealed = seal(archive, "cat", dir + "/{}.sql");
        assertThat(sealed.exit).as(sealed.err).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archive))).isEqualTo("rw-------");
        assertThat(Files.readString(archive, StandardCharsets.ISO_8859_1)).doesNotContain("ann (admin)").doesNotContain("sealed");

        Result verified = run("backup-verify", "--key", privateKey.toString(), archive.toString());
        assertThat(verified.exit).as(verified.err).isZero();
        assertThat(verified.out).startsWith("archive ok strongroom-backup/1")
                .contains("info strongroomVersion 0.1.0\n")
                .contains("rows auth user 5\n", "rows auth session 1\n", "rows keys key_version 1\n")
                .contains("partinfo auth schemaVersion 7\n")
                .containsPattern("part auth " + AUTH_DUMP.getBytes(StandardCharsets.UTF_8).length + " [0-9a-f]{64} strongroom_auth\n");

        Result extracted = run("backup-extract", "--key", privateKey.toString(), archive.toString(), "auth");
        assertThat(extracted.exit).as(extracted.err).isZero();
        assertThat(extracted.out).isEqualTo(AUTH_DUMP);
    }

    @Test
    void dumpsStagedAsFilesSealIntoATimeStampedArchiveWithDescriptionsFromAFile() throws Exception {
        Path out = Files.createDirectories(dir.resolve("backups"));
        Path described = dir.resolve("describe.txt");
        Files.writeString(described, "# written by the dump step\nauth schemaVersion=9\nkeys database=strongroom_keys\n");
        Result sealed = run("backup-seal", "--public-key", publicKey.toString(), "--out", out + "/", "--describe-from",
                described.toString(), "--part", "auth=" + dir.resolve("strongroom_auth.sql"), "--part",
                "keys=" + dir.resolve("strongroom_keys.sql"));
        assertThat(sealed.exit).as(sealed.err).isZero();
        List<Path> archives;
        try (var files = Files.list(out)) {
            archives = files.toList();
        }
        assertThat(archives).singleElement().asString().matches(".*/strongroom-\\d{8}T\\d{6}Z\\.srbk");
        Result verified = run("backup-verify", "--key", privateKey.toString(), archives.get(0).toString());
        assertThat(verified.out).contains("partinfo auth schemaVersion 9\n", "partinfo keys database strongroom_keys\n",
                "rows auth user 5\n");
    }

    @Test
    void aFailingOrCutDumpLeavesNoArchive() throws Exception {
        Path archive = dir.resolve("failed.srbk");
        Result failed = seal(archive, "sh", "-c", "cat " + dir + "/{}.sql; [ {} = strongroom_auth ]");
        assertThat(failed.exit).isEqualTo(1);
        assertThat(failed.err).contains("the dump of strongroom_keys failed");
        Files.writeString(dir.resolve("strongroom_keys.sql"), "INSERT INTO `key_version` VALUES (1);\n");
        Result cut = seal(archive, "cat", dir + "/{}.sql");
        assertThat(cut.exit).isEqualTo(1);
        assertThat(cut.err).contains("was cut short");
        assertThat(archive).doesNotExist();
        assertThat(dir.resolve("failed.srbk.partial")).doesNotExist();
    }

    @Test
    void aFlippedByteIsRefusedBeforeAnythingIsExtracted() throws Exception {
        Path archive = dir.resolve("backup.srbk");
        assertThat(seal(archive, "cat", dir + "/{}.sql").exit).isZero();
        byte[] bytes = Files.readAllBytes(archive);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(archive, bytes);

        Result verified = run("backup-verify", "--key", privateKey.toString(), archive.toString());
        assertThat(verified.exit).isEqualTo(3);
        assertThat(verified.err).contains("ARCHIVE REFUSED").contains("altered or damaged");
        assertThat(verified.out).isEmpty();
    }

    @Test
    void theRootKeyIsNotABackupKey() throws Exception {
        Path root = dir.resolve("root.json");
        assertThat(KeyServiceMain.generateRootKey(new String[] {"generate-root-key", root.toString()},
                print(new ByteArrayOutputStream()), print(new ByteArrayOutputStream()))).isZero();
        Result refused = run("backup-seal", "--public-key", root.toString(), "--out", dir.resolve("x").toString(),
                "--part", "auth=strongroom_auth", "--", "cat", dir + "/{}.sql");
        assertThat(refused.exit).isEqualTo(1);
        assertThat(refused.err).contains("is not a Tink hybrid public keyset");
    }

    private record Result(int exit, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = BackupCommand.run(args, print(out), print(err));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static PrintStream print(ByteArrayOutputStream out) {
        return new PrintStream(out, true, StandardCharsets.UTF_8);
    }
}
