package dev.strongroom.secrets.rest;

import java.util.List;

/** The grants of a secret, and its owner (who has every permission without a grant). */
public record AccessResponse(String owner, List<GrantEntry> grants) {}
