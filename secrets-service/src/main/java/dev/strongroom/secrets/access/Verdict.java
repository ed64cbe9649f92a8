package dev.strongroom.secrets.access;

import dev.strongroom.common.problem.ProblemException;

/**
 * The end of a transaction that must commit even when the request is refused (its audit event of a
 * denied or failed attempt is part of it): either a result or the problem to answer after the commit.
 */
public sealed interface Verdict<T> {

    public static <T> Verdict<T> ok(T value) {
        return new Ok<>(value);
    }

    public static <T> Verdict<T> refused(ProblemException problem) {
        return new Refused<>(problem);
    }

    /** The value, or the problem thrown (after the transaction committed). */
    T orThrow();

    public record Ok<T>(T value) implements Verdict<T> {
        @Override
        public T orThrow() {
            return value;
        }

        @Override
        public String toString() {
            return "Ok";
        }
    }

    public record Refused<T>(ProblemException problem) implements Verdict<T> {
        @Override
        public T orThrow() {
            throw problem;
        }
    }
}
