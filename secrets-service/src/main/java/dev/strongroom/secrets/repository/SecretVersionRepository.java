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

    /** Deletes versions (rows and ciphertext) older than {@code oldestKept}: the bounded history. */
    public Uni<Long> deleteOlderThan(UUID secretId, int oldestKept) {
        return delete("secretId = ?1 and version < ?2", secretId, oldestKept);
    }
}
