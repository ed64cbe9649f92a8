package dev.strongroom.common.problem;

/**
 * A copy of a failure for the log: each exception's class and stack trace, never its message. Messages may
 * quote what the request carried (a decoder echoing the field it choked on, a driver quoting a value), and an
 * unexpected failure can come from anywhere, so none of them is logged.
 */
public final class MessagelessFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final int MAX_CAUSES = 16;

    private MessagelessFailure(Throwable original, int depth) {
        super(original.getClass().getName(),
                original.getCause() == null || depth >= MAX_CAUSES ? null : new MessagelessFailure(original.getCause(), depth + 1),
                false, true);
        setStackTrace(original.getStackTrace());
    }

    public static MessagelessFailure of(Throwable original) {
        return new MessagelessFailure(original, 0);
    }

    /** The classes of a failure and its causes ({@code A <- B}), never their messages: for a one-line log. */
    public static String kinds(Throwable failure) {
        StringBuilder kinds = new StringBuilder();
        for (Throwable t = failure; t != null && kinds.length() < 500; t = t.getCause() == t ? null : t.getCause()) {
            kinds.append(kinds.isEmpty() ? "" : " <- ").append(t.getClass().getName());
        }
        return kinds.isEmpty() ? "no failure recorded" : kinds.toString();
    }
}
