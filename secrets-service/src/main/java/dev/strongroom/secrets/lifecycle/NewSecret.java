package dev.strongroom.secrets.lifecycle;

import dev.strongroom.secrets.GeneratorSpec;
import java.time.Instant;
import java.util.Map;

/**
 * A secret to create, as the caller asked for it (validated by {@link SecretService#create}). {@code rotation}
 * null: no schedule. {@code toString} never shows the value.
 */
public record NewSecret(String name, String environment, String value, String type, String description, Map<String, String> tags,
        Instant expiresAt, Rotation rotation, Integer maxVersions) {

    /** A rotation schedule: every {@code intervalDays}, a value from {@code generator} (null: a 32-character password). */
    public record Rotation(Integer intervalDays, GeneratorSpec generator) {}

    @Override
    public String toString() {
        return "NewSecret[" + environment + "/" + name + ", value=********]";
    }
}
