package dev.strongroom.secrets.value;

import dev.strongroom.secrets.Secret;
import dev.strongroom.secrets.SecretVersion;
import dev.strongroom.secrets.repository.SecretVersionRepository;
import dev.strongroom.secrets.support.Times;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDateTime;

/**
 * The one place values are sealed: the first version of a new secret ({@link #first}), and every later one
 * ({@link #add}), which adds a version to a secret the current transaction has locked: seals the value bound to the new
 * version number, stores it, moves the current-version pointer, restarts the rotation schedule, lifts
 * a passed expiry, and deletes versions beyond the secret's history bound.
 */
@ApplicationScoped
public class VersionWriter {

    @Inject
    SecretCrypto crypto;

    @Inject
    SecretVersionRepository versions;

    /**
     * The first version of a new secret, sealed before the secret exists (so no transaction waits for key-service):
     * the caller persists it with the secret. Restarts the secret's rotation schedule.
     */
    public Uni<SecretVersion> first(Secret secret, byte[] plaintext, String by) {
        return crypto.seal(secret.id, 1, secret.environment, plaintext)
                .map(sealed -> {
                    LocalDateTime now = secret.createdAt;
                    restartSchedule(secret, now);
                    return newVersion(secret, 1, sealed, SecretVersion.Origin.CREATE, null, by, now);
                });
    }

    public Uni<SecretVersion> add(Secret secret, byte[] plaintext, SecretVersion.Origin origin, Integer rolledBackFrom, String by) {
        int next = secret.currentVersion + 1;
        return crypto.seal(secret.id, next, secret.environment, plaintext)
                .chain(sealed -> {
                    LocalDateTime now = Times.now();
                    SecretVersion version = newVersion(secret, next, sealed, origin, rolledBackFrom, by, now);
                    secret.currentVersion = next;
                    secret.updatedAt = now;
                    secret.lastRotatedAt = now;
                    if (secret.expiredAt(now)) {
                        secret.expiresAt = null;
                    }
                    restartSchedule(secret, now);
                    return versions.persist(version)
                            .call(() -> versions.deleteOlderThan(secret.id, next - secret.maxVersions + 1));
                });
    }

    private static SecretVersion newVersion(Secret secret, int number, SecretCrypto.Sealed sealed, SecretVersion.Origin origin,
            Integer rolledBackFrom, String by, LocalDateTime now) {
        SecretVersion version = new SecretVersion();
        version.secretId = secret.id;
        version.version = number;
        version.ciphertext = sealed.envelope();
        version.kekName = sealed.kekName();
        version.kekVersion = sealed.kekVersion();
        version.origin = origin.wire();
        version.rolledBackFrom = rolledBackFrom;
        version.createdAt = now;
        version.createdBy = by;
        return version;
    }

    /** A new value restarts the schedule: the next rotation is due one interval from now. */
    private static void restartSchedule(Secret secret, LocalDateTime now) {
        if (secret.rotationIntervalDays != null) {
            secret.rotationDueAt = now.plusDays(secret.rotationIntervalDays);
            secret.rotationAttemptAt = secret.rotationDueAt;
            secret.rotationFailures = 0;
        }
    }
}
