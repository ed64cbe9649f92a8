package dev.strongroom.crypto.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strongroom.crypto.keys.RootKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The backup archive: what goes in comes out under the private key only, and any change is refused. */
class BackupArchiveTest {

    private static final BackupKeys.Generated KEYS = generate();
    private static final BackupKeys.PublicKey PUBLIC = BackupKeys.publicKey(KEYS.publicKeysetJson(), "test");
    private static final BackupKeys.PrivateKey PRIVATE = BackupKeys.privateKey(KEYS.privateKeysetJson(), "test");

    private static BackupKeys.Generated generate() {
        try {
            return BackupKeys.generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Two parts (one spanning several 64 KiB chunks and 1 MiB segments) and a manifest. */
    private static byte[] archive(byte[] big, byte[] small) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BackupWriter writer = BackupWriter.open(out, PUBLIC)) {
            try (OutputStream part = writer.part("secrets")) {
                part.write(big);
            }
            writer.describe("secrets", Map.of("rows", Map.of("secret", 3)));
            try (OutputStream part = writer.part("auth")) {
                part.write(small);
            }
            writer.finish(Map.of("strongroomVersion", "test"));
        }
        return out.toByteArray();
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(7).nextBytes(bytes);
        return bytes;
    }

    @Test
    void partsComeBackExactlyWithAManifestOfSizesHashesAndNotes() throws Exception {
        byte[] big = randomBytes(2_500_000);
        byte[] small = "CREATE TABLE user;".getBytes(StandardCharsets.UTF_8);
        byte[] archive = archive(big, small);

        BackupManifest manifest = BackupReader.verify(new ByteArrayInputStream(archive), PRIVATE);
        assertThat(manifest.format()).isEqualTo(BackupManifest.FORMAT);
        assertThat(manifest.parts()).extracting(BackupManifest.Part::name).containsExactly("secrets", "auth");
        assertThat(manifest.part("secrets").bytes()).isEqualTo(big.length);
        assertThat(manifest.part("secrets").sha256())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(big)));
        assertThat(manifest.part("secrets").info()).containsEntry("rows", Map.of("secret", 3));
        assertThat(manifest.info()).containsEntry("strongroomVersion", "test");
        assertThat(manifest.backupKeyId()).isEqualTo(KEYS.keyId());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BackupReader.extract(new ByteArrayInputStream(archive), PRIVATE, "secrets", out);
        assertThat(out.toByteArray()).isEqualTo(big);
        out.reset();
        BackupReader.extract(new ByteArrayInputStream(archive), PRIVATE, "auth", out);
        assertThat(out.toByteArray()).isEqualTo(small);
    }

    @Test
    void theArchiveHoldsNoPlaintextOfItsParts() throws Exception {
        byte[] marker = "plaintext-marker-4f1c9a".getBytes(StandardCharsets.UTF_8);
        byte[] archive = archive(marker, marker);
        String raw = new String(archive, StandardCharsets.ISO_8859_1);
        assertThat(raw).doesNotContain("plaintext-marker-4f1c9a");
        assertThat(raw).as("even part names are inside the encryption").doesNotContain("secrets");
    }

    @Test
    void everyFlippedByteIsRefused() throws Exception {
        byte[] archive = archive(randomBytes(200_000), randomBytes(100));
        // header (magic, key id, wrapped key), first segment, a middle byte, the manifest's segment at the end
        for (int position : new int[] {0, 9, 20, 200, archive.length / 2, archive.length - 20, archive.length - 1}) {
            byte[] tampered = archive.clone();
            tampered[position] ^= 0x01;
            assertThatThrownBy(() -> BackupReader.verify(new ByteArrayInputStream(tampered), PRIVATE))
                    .as("flipped byte at %d", position)
                    .isInstanceOf(BackupIntegrityException.class);
        }
    }

    @Test
    void aCutOrExtendedArchiveIsRefused() throws Exception {
        byte[] archive = archive(randomBytes(200_000), randomBytes(100));
        for (int length : new int[] {5, 40, archive.length / 2, archive.length - 1}) {
            byte[] cut = Arrays.copyOf(archive, length);
            assertThatThrownBy(() -> BackupReader.verify(new ByteArrayInputStream(cut), PRIVATE))
                    .as("cut to %d bytes", length)
                    .isInstanceOf(BackupIntegrityException.class);
        }
        byte[] longer = Arrays.copyOf(archive, archive.length + 1);
        assertThatThrownBy(() -> BackupReader.verify(new ByteArrayInputStream(longer), PRIVATE))
                .isInstanceOf(BackupIntegrityException.class);
    }

    @Test
    void aWriterClosedWithoutFinishingLeavesAnArchiveNoReaderAccepts() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BackupWriter writer = BackupWriter.open(out, PUBLIC)) {
            try (OutputStream part = writer.part("auth")) {
                part.write(randomBytes(1000));
            }
            // the dump failed here: no finish
        }
        assertThatThrownBy(() -> BackupReader.verify(new ByteArrayInputStream(out.toByteArray()), PRIVATE))
                .isInstanceOf(BackupIntegrityException.class)
                .hasMessageContaining("without a manifest");
    }

    @Test
    void anotherBackupKeyOpensNothingAndSaysWhichKeyIsNeeded() throws Exception {
        byte[] archive = archive(randomBytes(1000), randomBytes(10));
        BackupKeys.Generated other = BackupKeys.generate();
        BackupKeys.PrivateKey wrong = BackupKeys.privateKey(other.privateKeysetJson(), "other");
        assertThatThrownBy(() -> BackupReader.verify(new ByteArrayInputStream(archive), wrong))
                .isInstanceOf(BackupIntegrityException.class)
                .hasMessageContaining(Long.toString(KEYS.keyId()));
    }

    @Test
    void keysAreCheckedForTheirRole() throws Exception {
        assertThat(KEYS.toString()).doesNotContain(KEYS.privateKeysetJson());
        assertThat(KEYS.publicKeysetJson()).doesNotContain("\"value\":\"" + KEYS.privateKeysetJson());
        assertThatThrownBy(() -> BackupKeys.publicKey(KEYS.privateKeysetJson(), "private file"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("private file");
        assertThatThrownBy(() -> BackupKeys.privateKey(KEYS.publicKeysetJson(), "public file"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BackupKeys.publicKey(RootKey.newKeysetJson(), "root key"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readingStreamsInConstantMemory() throws Exception {
        // 64 MiB through writer and reader without ever holding it: generated in, counted out
        long size = 64L << 20;
        PipedArchive piped = new PipedArchive();
        try (BackupWriter writer = BackupWriter.open(piped, PUBLIC)) {
            try (OutputStream part = writer.part("big")) {
                byte[] block = randomBytes(1 << 16);
                for (long written = 0; written < size; written += block.length) {
                    part.write(block);
                }
            }
            writer.finish(Map.of());
        }
        BackupManifest manifest = BackupReader.verify(piped.input(), PRIVATE);
        assertThat(manifest.part("big").bytes()).isEqualTo(size);
        assertThat(piped.size()).isBetween(size, size + size / 100);
    }

    /** An archive on a temporary file: the test itself must not hold 64 MiB. */
    private static final class PipedArchive extends OutputStream {
        private final java.nio.file.Path file;
        private final OutputStream out;

        PipedArchive() throws IOException {
            file = java.nio.file.Files.createTempFile("backup-test", ".srbk");
            file.toFile().deleteOnExit();
            out = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(file));
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.close();
        }

        InputStream input() throws IOException {
            return new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file));
        }

        long size() throws IOException {
            return java.nio.file.Files.size(file);
        }
    }
}
