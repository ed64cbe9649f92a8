package dev.strongroom.auth.service;

import dev.strongroom.common.problem.ProblemException;
import java.util.List;

/**
 * What a transaction decided: a value, or a problem to answer once the transaction has committed
 * (a failed login must still store its counter and audit event), plus sids it revoked.
 */
record Attempt<T>(T value, ProblemException problem, List<String> revoked) {

    static <T> Attempt<T> ok(T value) {
        return new Attempt<>(value, null, List.of());
    }

    static <T> Attempt<T> ok(T value, List<String> revoked) {
        return new Attempt<>(value, null, revoked);
    }

    static <T> Attempt<T> refused(ProblemException problem) {
        return new Attempt<>(null, problem, List.of());
    }

    static <T> Attempt<T> refused(ProblemException problem, List<String> revoked) {
        return new Attempt<>(null, problem, revoked);
    }

    T orThrow() {
        if (problem != null) {
            throw problem;
        }
        return value;
    }
}
