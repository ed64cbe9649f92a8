package dev.strongroom.common.problem;

import java.util.List;

/** The problems every service shares. Services add their own by extending {@link ProblemException}. */
public final class Problems {

    private Problems() {}

    /** 400: the request cannot be read at all. */
    public static class MalformedRequest extends ProblemException {
        public MalformedRequest(String detail) {
            super(400, "malformed-request", "Malformed request", detail);
        }
    }

    /** 403: the caller is known but lacks a permission it is allowed to know about. */
    public static class Forbidden extends ProblemException {
        public Forbidden(String detail) {
            super(403, "forbidden", "Forbidden", detail);
        }
    }

    /** 404: also for resources the caller may not learn exist. */
    public static class NotFound extends ProblemException {
        public NotFound(String detail) {
            super(404, "not-found", "Not found", detail);
        }
    }

    /** 409: the request conflicts with the current state (duplicate name, stale version). */
    public static class Conflict extends ProblemException {
        public Conflict(String slug, String detail) {
            super(409, slug, "Conflict", detail);
        }
    }

    /** 410: the resource existed and is no longer available (expired, used up, revoked). */
    public static class Gone extends ProblemException {
        public Gone(String slug, String detail) {
            super(410, slug, "Gone", detail);
        }
    }

    /** 413: a body or value over its documented limit. */
    public static class TooLarge extends ProblemException {
        public TooLarge(String detail) {
            super(413, "too-large", "Payload too large", detail);
        }
    }

    /** 422: well-formed but invalid; lists every invalid field. */
    public static class ValidationFailed extends ProblemException {
        private final List<Problem.FieldError> errors;

        public ValidationFailed(List<Problem.FieldError> errors) {
            super(422, "validation-failed", "Validation failed", "The request has invalid fields.");
            this.errors = List.copyOf(errors);
        }

        public static ValidationFailed of(String field, String message) {
            return new ValidationFailed(List.of(new Problem.FieldError(field, message)));
        }

        @Override
        public List<Problem.FieldError> fieldErrors() {
            return errors;
        }
    }

    /** 429: too many requests; the client may retry after the given seconds. */
    public static class RateLimited extends ProblemException {
        private final long retryAfterSeconds;

        public RateLimited(long retryAfterSeconds) {
            super(429, "rate-limited", "Too many requests", "Too many requests; retry later.");
            this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
        }

        @Override
        public Long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
