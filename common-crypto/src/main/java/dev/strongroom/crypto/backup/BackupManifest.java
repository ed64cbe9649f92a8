package dev.strongroom.crypto.backup;

import java.util.List;
import java.util.Map;

/**
 * What an archive holds, written as its last entry (inside the encryption, so the AEAD covers it too):
 * the format, when and to which backup key it was sealed, each part's size and SHA-256, and what the
 * caller said about the parts and the whole (versions, schema versions, row counts). A reader trusts
 * nothing of the archive until every part matched it.
 */
public record BackupManifest(String format, String createdAt, long backupKeyId, List<Part> parts, Map<String, Object> info) {

    public static final String FORMAT = "strongroom-backup/1";

    /** One part: its name, length, SHA-256 (hex) and the caller's notes on it. */
    public record Part(String name, long bytes, String sha256, Map<String, Object> info) {}

    public Part part(String name) {
        return parts.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }
}
