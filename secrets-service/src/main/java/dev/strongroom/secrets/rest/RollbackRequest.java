package dev.strongroom.secrets.rest;

/** {@code POST /v1/secrets/{id}/rollback}: the version whose value becomes a new version. */
public record RollbackRequest(Integer version) {}
