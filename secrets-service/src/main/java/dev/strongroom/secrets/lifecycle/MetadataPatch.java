package dev.strongroom.secrets.lifecycle;

import dev.strongroom.secrets.GeneratorSpec;
import java.time.Instant;
import java.util.Map;

/**
 * A JSON merge patch of a secret's metadata: a field that is absent stays as it is; a field set to
 * null is cleared (description, expiresAt, rotation); tags replace the whole tag map.
 */
public record MetadataPatch(
        boolean descriptionSet, String description,
        boolean tagsSet, Map<String, String> tags,
        boolean expiresAtSet, Instant expiresAt,
        boolean rotationSet, Integer intervalDays, GeneratorSpec generator,
        Integer maxVersions) {

    public boolean empty() {
        return !descriptionSet && !tagsSet && !expiresAtSet && !rotationSet && maxVersions == null;
    }
}
