package dev.strongroom.crypto.backup;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The archive layout shared by {@link BackupWriter} and {@link BackupReader}.
 * <pre>
 *   header   "SRBACKUP" | version (1 byte) | backup key id (4) | wrapped key length (2) | wrapped key
 *   body     Tink streaming AEAD (AES256_GCM_HKDF_1MB) of the entries below, associated data = the header
 *   entries  'P' | name length (2) | name | chunks: length (4) | bytes ... | 0 (4)      one per part
 *            'M' | length (4) | manifest JSON                                            last, then the end
 * </pre>
 * The wrapped key is a fresh streaming-AEAD keyset, encrypted to the backup public key with HPKE. The body's
 * segments are authenticated one by one and the last is marked, so a changed, reordered or cut archive fails.
 */
final class BackupFormat {

    static final byte[] MAGIC = "SRBACKUP".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final byte PART = 'P';
    static final byte MANIFEST = 'M';
    static final int CHUNK = 64 * 1024;
    static final int MAX_MANIFEST = 16 * 1024 * 1024;
    /** HPKE context: binds the wrapped key to this use. */
    static final byte[] CONTEXT = "strongroom/backup-archive/v1".getBytes(StandardCharsets.US_ASCII);
    static final Pattern PART_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,64}");

    private BackupFormat() {}

    static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            out.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return out.toString();
    }
}
