package dev.strongroom.secrets.rest;

import dev.strongroom.common.problem.Problems;
import dev.strongroom.secrets.ListPosition;
import dev.strongroom.secrets.Permission;
import dev.strongroom.secrets.Secret;
import dev.strongroom.secrets.SecretGrant;
import dev.strongroom.secrets.SecretVersion;
import dev.strongroom.secrets.lifecycle.NewSecret;
import dev.strongroom.secrets.support.SecretJson;
import dev.strongroom.secrets.support.Times;
import dev.strongroom.secrets.value.SecretValueService;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** Maps secrets to their JSON views and parses path and cursor parameters. */
final class SecretViews {

    private static final String CURSOR_PREFIX = "c1\n";

    private SecretViews() {}

    static SecretMetadataResponse metadata(Secret s) {
        LocalDateTime now = Times.now();
        SecretMetadataResponse.Rotation rotation = s.rotationIntervalDays == null ? null
                : new SecretMetadataResponse.Rotation(s.rotationIntervalDays, SecretJson.generator(s.rotationGenerator),
                        Times.instant(s.rotationDueAt), Times.instant(s.lastRotatedAt));
        return new SecretMetadataResponse(s.id.toString(), s.name, s.environment, s.type, s.description, SecretJson.tags(s.tags),
                s.currentVersion, Times.instant(s.createdAt), Times.instant(s.updatedAt), s.createdBy, s.owner,
                Times.instant(s.expiresAt), s.expiredAt(now), rotation, s.maxVersions, Times.instant(s.deletedAt),
                SecretMetadataResponse.MASK);
    }

    static VersionResponse version(SecretVersion v, int currentVersion) {
        return new VersionResponse(v.version, Times.instant(v.createdAt), v.createdBy, v.origin, v.rolledBackFrom,
                v.version == currentVersion, v.destroyed(), Times.instant(v.destroyedAt), v.kekVersion);
    }

    static SecretValueResponse value(SecretValueService.Revealed r) {
        return new SecretValueResponse(r.value(), r.version().version, r.secret().id.toString(), r.secret().name,
                r.secret().environment, Times.instant(r.version().createdAt));
    }

    static AccessResponse access(Secret secret, List<SecretGrant> grants) {
        return new AccessResponse(secret.owner, grants.stream()
                .map(g -> new GrantEntry(g.principal, Permission.of(g.permissions).stream().map(Enum::name).toList()))
                .toList());
    }

    /** A path id; anything that is not a UUID names no secret (404, like an absent one). */
    static UUID id(String text) {
        try {
            if (text != null && text.length() == 36) {
                return UUID.fromString(text);
            }
        } catch (IllegalArgumentException e) {
            // falls through
        }
        throw new Problems.NotFound("No such secret.");
    }

    /** An optional positive version number from a query or path parameter. */
    static Integer version(String text, String field) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            int version = Integer.parseInt(text);
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw Problems.ValidationFailed.of(field, "must be a positive version number");
    }

    static NewSecret newSecret(CreateSecretRequest r) {
        NewSecret.Rotation rotation = r.rotation() == null ? null : new NewSecret.Rotation(r.rotation().intervalDays(), r.rotation().generator());
        return new NewSecret(r.name(), r.environment(), r.value(), r.type(), r.description(), r.tags(),
                r.expiresAt() == null ? null : r.expiresAt().toInstant(), rotation, r.maxVersions());
    }

    static String cursor(ListPosition after) {
        if (after == null) {
            return null;
        }
        String raw = CURSOR_PREFIX + after.environment() + "\n" + after.name();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static ListPosition after(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (raw.startsWith(CURSOR_PREFIX)) {
                String[] parts = raw.substring(CURSOR_PREFIX.length()).split("\n", -1);
                if (parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty()) {
                    return new ListPosition(parts[0], parts[1]);
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through
        }
        throw new Problems.MalformedRequest("The cursor is not one this service issued.");
    }
}
