package dev.strongroom.secrets.repository;

import dev.strongroom.secrets.SecretVersion;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class SecretVersionRepository implements PanacheRepositoryBase<SecretVersion, SecretVersion.Key> {

    public Uni<SecretVersion> findVersion(UUID secretId, int version) {
        return findById(new SecretVersion.Key(secretId, version));
    }

    /** Every kept version of the secret, newest first. */
    public Uni<List<SecretVersion>> listNewestFirst(UUID secretId) {
        return list("secretId", Sort.descending("version"), secretId);
    }

    /** Numbers of the kept versions older than {@code oldestKept}: what {@link #deleteOlderThan} would remove. */
    public Uni<List<Integer>> numbersOlderThan(UUID secretId, int oldestKept) {
        return find("secretId = ?1 and version < ?2", Sort.ascending("version"), secretId, oldestKept)
                .list()
                .map(found -> found.stream().map(v -> v.version).toList());
    }

    /** A secret's current version as stored: what opening it needs (the associated data takes id, version, environment). */
    public record CurrentEnvelope(UUID secretId, String environment, int version, byte[] ciphertext) {
        @Override
        public String toString() {
            return "CurrentEnvelope[" + secretId + " v" + version + "]";
        }
    }

    /**
     * The current versions of secrets (deleted ones too: they can be restored) whose id sorts after {@code after},
     * in id order, at most {@code limit}; destroyed versions (no ciphertext) are left out.
     */
    public Uni<List<CurrentEnvelope>> currentEnvelopes(UUID after, int limit) {
        return getSession().chain(session -> session.createSelectionQuery(
                        "select s.id, s.environment, v.version, v.ciphertext from Secret s, SecretVersion v"
                                + " where v.secretId = s.id and v.version = s.currentVersion and v.ciphertext is not null"
                                + " and s.id > :after order by s.id", Object[].class)
                .setParameter("after", after)
                .setMaxResults(limit)
                .getResultList())
                .map(rows -> rows.stream()
                        .map(row -> new CurrentEnvelope((UUID) row[0], (String) row[1], (Integer) row[2], (byte[]) row[3]))
                        .toList());
    }

    /** One stored envelope wrapped by a KEK: what a rewrap needs (the associated data takes id, version, environment). */
    public record StoredEnvelope(UUID secretId, int version, String environment, byte[] ciphertext) {
        @Override
        public String toString() {
            return "StoredEnvelope[" + secretId + " v" + version + "]";
        }
    }

    /**
     * Kept, undestroyed versions of every secret (deleted ones too) whose data key {@code kekName} wraps at a version
     * below {@code below}, after ({@code afterId}, {@code afterVersion}) in (id, version) order, at most {@code limit}.
     */
    public Uni<List<StoredEnvelope>> envelopesBelow(String kekName, int below, UUID afterId, int afterVersion, int limit) {
        return getSession().chain(session -> session.createSelectionQuery(
                        "select v.secretId, v.version, s.environment, v.ciphertext from Secret s, SecretVersion v"
                                + " where v.secretId = s.id and v.ciphertext is not null and v.kekName = :kek"
                                + " and v.kekVersion < :below"
                                + " and (v.secretId > :afterId or (v.secretId = :afterId and v.version > :afterVersion))"
                                + " order by v.secretId, v.version", Object[].class)
                .setParameter("kek", kekName)
                .setParameter("below", below)
                .setParameter("afterId", afterId)
                .setParameter("afterVersion", afterVersion)
                .setMaxResults(limit)
                .getResultList())
                .map(rows -> rows.stream()
                        .map(row -> new StoredEnvelope((UUID) row[0], (Integer) row[1], (String) row[2], (byte[]) row[3]))
                        .toList());
    }

    /** Kept, undestroyed versions whose data key {@code kekName} wraps at a version below {@code below}. */
    public Uni<Long> countBelow(String kekName, int below) {
        return count("kekName = ?1 and kekVersion < ?2 and ciphertext is not null", kekName, below);
    }

    /**
     * Replaces a version's envelope only if it still holds {@code expected} (a concurrent rewrap, destroy or
     * history trim wins); 1 when replaced, 0 when the row changed or is gone.
     */
    public Uni<Integer> replaceEnvelope(UUID secretId, int version, byte[] expected, byte[] fresh, int kekVersion) {
        return getSession().chain(session -> session.createMutationQuery(
                        "update SecretVersion v set v.ciphertext = :fresh, v.kekVersion = :kekVersion"
                                + " where v.secretId = :id and v.version = :version and v.ciphertext = :expected")
                .setParameter("fresh", fresh)
                .setParameter("kekVersion", kekVersion)
                .setParameter("id", secretId)
                .setParameter("version", version)
                .setParameter("expected", expected)
                .executeUpdate());
    }

    /** Deletes versions (rows and ciphertext) older than {@code oldestKept}: the bounded history. */
    public Uni<Long> deleteOlderThan(UUID secretId, int oldestKept) {
        return delete("secretId = ?1 and version < ?2", secretId, oldestKept);
    }
}
