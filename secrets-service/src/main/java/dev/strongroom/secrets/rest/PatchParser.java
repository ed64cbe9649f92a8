package dev.strongroom.secrets.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strongroom.common.problem.Problems;
import dev.strongroom.secrets.GeneratorSpec;
import dev.strongroom.secrets.lifecycle.MetadataPatch;
import dev.strongroom.secrets.support.SecretRules;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a {@code PATCH /v1/secrets/{id}} body as a merge patch: absent stays, null clears. */
final class PatchParser {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PatchParser() {}

    static MetadataPatch parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw Problems.ValidationFailed.of("body", "must be a JSON object");
        }
        SecretRules.Errors errors = new SecretRules.Errors();
        if (body.has("value")) {
            errors.add("value", "values change through PUT /v1/secrets/{id}/value");
        }
        boolean descriptionSet = body.has("description");
        String description = text(body, "description", errors);
        boolean tagsSet = body.has("tags");
        Map<String, String> tags = null;
        if (tagsSet) {
            JsonNode node = body.get("tags");
            if (node.isNull()) {
                tags = Map.of();
            } else if (!node.isObject()) {
                errors.add("tags", "must be an object of string values");
            } else {
                tags = new LinkedHashMap<>();
                for (var field : node.properties()) {
                    if (!field.getValue().isTextual()) {
                        errors.add("tags[" + field.getKey() + "]", "must be a string");
                    } else {
                        tags.put(field.getKey(), field.getValue().asText());
                    }
                }
            }
        }
        boolean expiresAtSet = body.has("expiresAt");
        java.time.Instant expiresAt = null;
        String expires = text(body, "expiresAt", errors);
        if (expires != null) {
            try {
                expiresAt = OffsetDateTime.parse(expires).toInstant();
            } catch (DateTimeParseException e) {
                errors.add("expiresAt", "must be an RFC 3339 timestamp such as 2027-01-31T00:00:00Z");
            }
        }
        boolean rotationSet = body.has("rotation");
        Integer intervalDays = null;
        GeneratorSpec generator = null;
        if (rotationSet && !body.get("rotation").isNull()) {
            JsonNode rotation = body.get("rotation");
            if (!rotation.isObject()) {
                errors.add("rotation", "must be an object {intervalDays, generator?} or null");
            } else {
                JsonNode interval = rotation.get("intervalDays");
                if (interval == null || !interval.canConvertToInt() || !interval.isIntegralNumber()) {
                    errors.add("rotation.intervalDays", "must be a whole number of days");
                } else {
                    intervalDays = interval.asInt();
                }
                JsonNode spec = rotation.get("generator");
                if (spec != null && !spec.isNull()) {
                    try {
                        generator = JSON.treeToValue(spec, GeneratorSpec.class);
                    } catch (Exception e) {
                        errors.add("rotation.generator", "must be an object {type, length?, alphabet?, encoding?, url?}");
                    }
                }
            }
        }
        Integer maxVersions = null;
        if (body.has("maxVersions")) {
            JsonNode node = body.get("maxVersions");
            if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                errors.add("maxVersions", "must be a whole number");
            } else {
                maxVersions = node.asInt();
            }
        }
        errors.throwIfAny();
        return new MetadataPatch(descriptionSet, description, tagsSet, tags, expiresAtSet, expiresAt,
                rotationSet, intervalDays, generator, maxVersions);
    }

    private static String text(JsonNode body, String field, SecretRules.Errors errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add(field, "must be a string or null");
            return null;
        }
        return node.asText();
    }
}
