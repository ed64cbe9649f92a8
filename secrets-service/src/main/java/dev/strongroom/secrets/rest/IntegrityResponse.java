package dev.strongroom.secrets.rest;

import java.util.List;

/**
 * {@code GET /v1/secrets/integrity}: whether every secret's current version decrypts; {@code checked} versions
 * were opened, {@code failed} did not, {@code failures} lists the first 100 of those (ids only, never a value).
 */
public record IntegrityResponse(boolean ok, long checked, long failed, List<Failure> failures) {

    /** A version that did not open: {@code reason} is {@code undecryptable}, {@code key-service-unavailable} or {@code error}. */
    public record Failure(String secretId, int version, String reason) {}
}
