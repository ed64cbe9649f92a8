package dev.strongroom.cli;

/** A failure shown to the user as one line on stderr, ending the command with {@link #exitCode()}. */
public class CliException extends RuntimeException {

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
