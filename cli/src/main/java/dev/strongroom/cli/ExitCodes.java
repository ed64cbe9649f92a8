package dev.strongroom.cli;

/** The exit codes scripts can rely on (docs/cli.md lists them). {@code sr run} exits with its command's code instead. */
public final class ExitCodes {

    public static final int OK = 0;
    /** Anything not listed below. */
    public static final int ERROR = 1;
    /** Wrong usage: an unknown command or option, a missing argument (picocli's own code). */
    public static final int USAGE = 2;
    /** Not logged in, bad credentials, an expired session, a refused workload login (HTTP 401). */
    public static final int UNAUTHENTICATED = 3;
    /** Logged in but not allowed (HTTP 403). */
    public static final int FORBIDDEN = 4;
    /** No such secret, version, share or key, or not readable by the caller (HTTP 404, 410; a batch read's missing names). */
    public static final int NOT_FOUND = 5;
    /** A conflict: the name is taken, a check-and-set version is stale (HTTP 409). */
    public static final int CONFLICT = 6;
    /** The server refused the input (HTTP 400, 413, 422). */
    public static final int INVALID = 7;
    /** Rate limited or locked out (HTTP 429). */
    public static final int RATE_LIMITED = 8;
    /** The service could not be reached or failed (connection refused, timeouts, HTTP 5xx). */
    public static final int UNAVAILABLE = 9;
    /** {@code sr audit verify}: the audit log's hash chain is broken. */
    public static final int INTEGRITY = 10;

    private ExitCodes() {}

    /** The exit code for an HTTP error status. */
    public static int forStatus(int status) {
        return switch (status) {
            case 401 -> UNAUTHENTICATED;
            case 403 -> FORBIDDEN;
            case 404, 410 -> NOT_FOUND;
            case 409 -> CONFLICT;
            case 400, 413, 415, 422 -> INVALID;
            case 429 -> RATE_LIMITED;
            default -> status >= 500 ? UNAVAILABLE : ERROR;
        };
    }
}
