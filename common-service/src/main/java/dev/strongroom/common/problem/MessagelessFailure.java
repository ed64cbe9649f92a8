package dev.strongroom.common.problem;

/**
 * A copy of a failure for the log: each exception's class and stack trace, never its message. Messages may
 * quote what the request carried (a decoder echoing the field it choked on, a driver quoting a value), and an
 * unexpected failure can come from anywhere, so none of them is logged.
 */
final class MessagelessFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final int MAX_CAUSES = 16;

    private MessagelessFailure(Throwable original, int depth) {
        super(original.getClass().getName(),
                original.getCause() == null || depth >= MAX_CAUSES ? null : new MessagelessFailure(original.getCause(), depth + 1),
                false, true);
        setStackTrace(original.getStackTrace());
    }

    static MessagelessFailure of(Throwable original) {
        return new MessagelessFailure(original, 0);
    }
}
