package dev.strongroom.secrets.rest;

import java.util.List;

/** {@code PUT /v1/secrets/{id}/access}: the complete new list of grants. */
public record AccessRequest(List<GrantEntry> grants) {}
