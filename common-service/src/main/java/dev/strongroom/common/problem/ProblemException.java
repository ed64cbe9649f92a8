package dev.strongroom.common.problem;

import java.util.List;

/**
 * Base of the typed domain exceptions that services throw; {@link ProblemMappers} turns each
 * into problem+json. The message becomes the client-facing {@code detail}, so it must never
 * contain a secret value, password, token or key.
 */
public abstract class ProblemException extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;

    protected ProblemException(int status, String slug, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    /** Field errors for 422 answers; empty for every other problem. */
    public List<Problem.FieldError> fieldErrors() {
        return List.of();
    }

    /** Seconds for a {@code Retry-After} header, or null. */
    public Long retryAfterSeconds() {
        return null;
    }
}
