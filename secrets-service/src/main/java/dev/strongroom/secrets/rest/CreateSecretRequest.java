package dev.strongroom.secrets.rest;

import java.time.OffsetDateTime;
import java.util.Map;

/** {@code POST /v1/secrets}. {@code toString} never shows the value. */
public record CreateSecretRequest(
        String name,
        String environment,
        String value,
        String type,
        String description,
        Map<String, String> tags,
        OffsetDateTime expiresAt,
        RotationRequest rotation,
        Integer maxVersions) {

    @Override
    public String toString() {
        return "CreateSecretRequest[" + environment + "/" + name + ", value=********]";
    }
}
