package dev.strongroom.secrets.service;

import dev.strongroom.common.problem.ProblemException;

/**
 * The end of a transaction that must commit even when the request is refused (its audit event of a
 * denied or failed attempt is part of it): either a result or the problem to answer after the commit.
 */
public sealed interface Outcome<T> {

    static <T> Outcome<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Outcome<T> refused(ProblemException problem) {
        return new Refused<>(problem);
    }

    /** The value, or the problem thrown (after the transaction committed). */
    T orThrow();

    record Ok<T>(T value) implements Outcome<T> {
        @Override
        public T orThrow() {
            return value;
        }

        @Override
        public String toString() {
            return "Ok";
        }
    }

    record Refused<T>(ProblemException problem) implements Outcome<T> {
        @Override
        public T orThrow() {
            throw problem;
        }
    }
}
