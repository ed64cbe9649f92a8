package dev.strongroom.auth.rest;

import dev.strongroom.common.problem.Problems;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/** Opaque list cursors (base64url of the last key seen) and limit checks. */
final class Cursors {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private Cursors() {}

    static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw Problems.ValidationFailed.of("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return limit;
    }

    static String decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Problems.ValidationFailed.of("cursor", "is not a cursor this API gave out");
        }
    }

    /** A page from {@code limit + 1} fetched rows. */
    static <E, R> Page<R> page(List<E> rows, int limit, Function<E, String> key, Function<E, R> map) {
        boolean more = rows.size() > limit;
        List<E> shown = more ? rows.subList(0, limit) : rows;
        String next = more ? Base64.getUrlEncoder().withoutPadding().encodeToString(
                key.apply(shown.getLast()).getBytes(StandardCharsets.UTF_8)) : null;
        return new Page<>(shown.stream().map(map).toList(), next);
    }
}
