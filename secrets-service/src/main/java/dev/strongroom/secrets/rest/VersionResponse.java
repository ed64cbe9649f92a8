package dev.strongroom.secrets.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** Metadata of one version; never its value. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VersionResponse(int version, Instant createdAt, String createdBy, String origin, Integer rolledBackFrom,
        boolean current, boolean destroyed, Instant destroyedAt, Integer kekVersion) {}
