package dev.strongroom.secrets.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.strongroom.secrets.GeneratorSpec;
import java.time.Instant;
import java.util.Map;

/**
 * A secret's metadata. {@code value} is always the mask: values come only from the value endpoints.
 * {@code deletedAt} appears only on soft-deleted secrets.
 */
public record SecretMetadataResponse(
        String id,
        String name,
        String environment,
        String type,
        String description,
        Map<String, String> tags,
        int currentVersion,
        Instant createdAt,
        Instant updatedAt,
        String createdBy,
        String owner,
        Instant expiresAt,
        boolean expired,
        Rotation rotation,
        int maxVersions,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant deletedAt,
        String value) {

    public static final String MASK = "********";

    /** The rotation schedule; {@code overdue} when the scheduled rotation is late. */
    public record Rotation(int intervalDays, GeneratorSpec generator, Instant nextRotationAt, Instant lastRotatedAt) {}
}
