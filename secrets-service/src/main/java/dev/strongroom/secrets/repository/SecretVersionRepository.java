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

    /** Deletes versions (rows and ciphertext) older than {@code oldestKept}: the bounded history. */
    public Uni<Long> deleteOlderThan(UUID secretId, int oldestKept) {
        return delete("secretId = ?1 and version < ?2", secretId, oldestKept);
    }
}
