package dev.strongroom.secrets.rest;

import java.util.List;

/** {@code POST /v1/secrets/values:batchGet}. */
public record BatchGetRequest(String environment, List<String> names) {}
