package dev.strongroom.keys.rest;

import dev.strongroom.keys.Key;
import dev.strongroom.keys.KeyVersion;
import dev.strongroom.keys.service.KeyDetails;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** A key's metadata; never key material. {@code autoRotatePeriod} is an ISO-8601 duration or null. */
public record KeyResponse(
        String name,
        String algorithm,
        int primaryVersion,
        int minDecryptionVersion,
        String autoRotatePeriod,
        Instant nextRotationAt,
        Instant createdAt,
        Instant updatedAt,
        List<KeyVersionResponse> versions) {

    public record KeyVersionResponse(int version, Instant createdAt, String state) {}

    static KeyResponse of(KeyDetails details) {
        Key key = details.key();
        return new KeyResponse(key.name, key.algorithm, key.primaryVersion, key.minDecryptionVersion,
                key.autoRotatePeriod() == null ? null : key.autoRotatePeriod().toString(),
                instant(key.nextRotationAt), instant(key.createdAt), instant(key.updatedAt),
                details.versions().stream().map(v -> version(key, v)).toList());
    }

    private static KeyVersionResponse version(Key key, KeyVersion version) {
        return new KeyVersionResponse(version.version(), instant(version.createdAt), version.state(key));
    }

    private static Instant instant(LocalDateTime utc) {
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }
}
