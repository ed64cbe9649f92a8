package dev.strongroom.auth.rest;

import java.util.Set;

/** {@code GET /v1/auth/me}. */
public record MeResponse(String id, String username, Set<String> roles, boolean mfaEnabled, String type) {}
