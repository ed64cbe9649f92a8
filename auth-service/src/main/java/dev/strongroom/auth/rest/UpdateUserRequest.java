package dev.strongroom.auth.rest;

import java.util.Set;

/** {@code PATCH /v1/admin/users/{id}}: fields left out stay as they are. */
public record UpdateUserRequest(Set<String> roles, Boolean disabled) {}
