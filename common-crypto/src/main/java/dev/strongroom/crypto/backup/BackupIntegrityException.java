package dev.strongroom.crypto.backup;

import java.io.IOException;

/** An archive that must not be restored: altered, truncated, sealed to another key, or not a Strongroom backup. */
public class BackupIntegrityException extends IOException {

    public BackupIntegrityException(String message) {
        super(message);
    }

    public BackupIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
