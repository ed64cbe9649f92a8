package dev.strongroom.common.problem;

/** The {@code limit} query parameter of a list endpoint: absent means the default, else 1 to the maximum. */
public final class PageLimit {

    private PageLimit() {}

    /** {@code text} as a page size; a 422 {@code validation-failed} naming {@code limit} when it is not one. */
    public static int parse(String text, int defaultLimit, int max) {
        if (text == null || text.isEmpty()) {
            return defaultLimit;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw Problems.ValidationFailed.of("limit", "must be between 1 and " + max);
    }
}
