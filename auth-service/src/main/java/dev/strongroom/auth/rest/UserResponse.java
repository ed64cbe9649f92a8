package dev.strongroom.auth.rest;

import java.time.Instant;
import java.util.Set;

/** A user as admins and the user see it; never the password hash or MFA secrets. */
public record UserResponse(String id, String username, String email, Set<String> roles, boolean disabled, boolean mfaEnabled,
        Instant lockedUntil, Instant createdAt) {}
