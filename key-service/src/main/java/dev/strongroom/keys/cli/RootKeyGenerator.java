package dev.strongroom.keys.cli;

import dev.strongroom.crypto.keys.RootKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;

/**
 * Writes a new root key: a cleartext Tink JSON keyset with one AES-256-GCM key, readable by its owner
 * only. For development and for root rotation; production keeps the root key in a cloud KMS or a
 * mounted secret.
 */
public final class RootKeyGenerator {

    private RootKeyGenerator() {}

    /** Creates {@code file} (never overwrites); returns the new root key's reference. */
    public static String generate(Path file) throws IOException, GeneralSecurityException {
        String json = RootKey.newKeysetJson();
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString());
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, json, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        return RootKey.fromJson(json, "file " + file).ref();
    }
}
