package dev.strongroom.secrets.rest;

import java.util.List;

/** One grant: a principal and its permissions. */
public record GrantEntry(String principal, List<String> permissions) {}
