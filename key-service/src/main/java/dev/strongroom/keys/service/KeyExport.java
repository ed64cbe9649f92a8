package dev.strongroom.keys.service;

import java.time.Instant;
import java.util.List;

/**
 * A backup of every key: metadata in clear, each keyset still sealed, either as stored (by the root key)
 * or re-sealed under a separate backup key. Restoring needs that root or backup key; the file alone opens nothing.
 */
public record KeyExport(String format, Instant exportedAt, List<ExportedKey> keys) {

    public static final String FORMAT = "strongroom-keys-export/1";

    public record ExportedKey(
            String name,
            String algorithm,
            int primaryVersion,
            int minDecryptionVersion,
            Long autoRotatePeriodSeconds,
            Instant createdAt,
            List<ExportedVersion> versions,
            String sealedBy,
            byte[] sealedKeyset) {

        @Override
        public String toString() {
            return "ExportedKey[" + name + ", primary=" + primaryVersion + ", sealedBy=" + sealedBy + "]";
        }
    }

    public record ExportedVersion(int version, Instant createdAt) {}

    /** What a restore did. */
    public record RestoreResult(List<String> restored, List<String> skippedExisting) {}
}
