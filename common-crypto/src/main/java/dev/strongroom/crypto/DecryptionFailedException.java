package dev.strongroom.crypto;

/**
 * A ciphertext could not be opened: it was altered, its associated data differs from the one it was
 * sealed with, its format is unknown, or its key (version) refuses it. The message says which kind,
 * never anything about the content.
 */
public class DecryptionFailedException extends RuntimeException {

    public DecryptionFailedException(String message) {
        super(message, null, false, false);
    }

    public DecryptionFailedException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
