package dev.strongroom.crypto.client;

/**
 * key-service answered with an error, or could not be reached ({@code status} 0). Carries the problem
 * type and detail key-service sent; these never contain key material or plaintext.
 */
public class KeyServiceException extends RuntimeException {

    private final int status;
    private final String problemType;

    public KeyServiceException(int status, String problemType, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.problemType = problemType;
    }

    public KeyServiceException(String detail, Throwable cause) {
        super(detail, cause, false, false);
        this.status = 0;
        this.problemType = null;
    }

    /** HTTP status, or 0 when there was no answer. */
    public int status() {
        return status;
    }

    /** The problem+json {@code type}, or null. */
    public String problemType() {
        return problemType;
    }
}
