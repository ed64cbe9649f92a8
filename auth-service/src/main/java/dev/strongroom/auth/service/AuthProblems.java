package dev.strongroom.auth.service;

import dev.strongroom.common.problem.ProblemException;

/** auth-service's own problems; the general ones are in {@code Problems}. */
public final class AuthProblems {

    private AuthProblems() {}

    /** 401: wrong user name, password or code; the same answer whether or not the account exists. */
    public static class InvalidCredentials extends ProblemException {
        public InvalidCredentials() {
            super(401, "invalid-credentials", "Unauthorized", "The user name, password or code is not valid.");
        }
    }

    /** 401: the password was right and the account has TOTP enrolled; send the code in {@code totp}. */
    public static class MfaRequired extends ProblemException {
        public MfaRequired() {
            super(401, "mfa-required", "Unauthorized", "This account needs a one-time code: repeat the login with totp.");
        }
    }

    /** 401: the refresh token is unknown, expired, used or of a revoked session. */
    public static class InvalidRefreshToken extends ProblemException {
        public InvalidRefreshToken() {
            super(401, "invalid-refresh-token", "Unauthorized", "The refresh token is not valid; log in again.");
        }
    }

    /** 401: the workload token does not match the Kubernetes role. */
    public static class WorkloadRefused extends ProblemException {
        public WorkloadRefused() {
            super(401, "workload-refused", "Unauthorized",
                    "The service-account token is not valid for this role (issuer, signature, expiry, audience, namespace or name).");
        }
    }

    /** 429 while an account is locked after repeated failures; the client may retry after the lock. */
    public static class Locked extends ProblemException {
        private final long retryAfter;

        public Locked(long retryAfterSeconds) {
            super(429, "account-locked", "Too many requests", "Too many failed logins; the account is locked for a while.");
            this.retryAfter = Math.max(1, retryAfterSeconds);
        }

        @Override
        public Long retryAfterSeconds() {
            return retryAfter;
        }
    }

    /** 503: a feature that needs configuration the operator has not given. */
    public static class NotConfigured extends ProblemException {
        public NotConfigured(String detail) {
            super(503, "not-configured", "Service unavailable", detail);
        }
    }

    /** 503: a TOTP secret cannot be sealed or opened because key-service is unreachable or refuses auth-service. */
    public static class MfaUnavailable extends ProblemException {
        public MfaUnavailable() {
            super(503, "mfa-unavailable", "Service unavailable",
                    "One-time codes cannot be checked or enrolled right now; retry later.");
        }
    }
}
