package dev.strongroom.secrets.repository;

import dev.strongroom.common.audit.UuidV7;
import dev.strongroom.secrets.Secret;
import dev.strongroom.secrets.SecretVersion;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/** Queries on secrets. The access queries fetch secret, version and the caller's grants in one round trip. */
@ApplicationScoped
public class SecretRepository implements PanacheRepositoryBase<Secret, UUID> {

    /** The secret by id with the given version (null: current) and the principals' grants; null when absent. */
    public Uni<Found> findForAccess(UUID id, Integer version, List<String> principals) {
        return getSession()
                .chain(session -> accessQuery(session, version, Secret.ACCESS_BY_ID, Secret.ACCESS_BY_ID_VERSION)
                        .setParameter("id", id)
                        .setParameter("principals", principals)
                        .getResultList())
                .map(rows -> combine(rows).values().stream().findFirst().orElse(null));
    }

    /** The same, addressed by environment and name. */
    public Uni<Found> findByNameForAccess(String environment, String name, Integer version, List<String> principals) {
        return getSession()
                .chain(session -> accessQuery(session, version, Secret.ACCESS_BY_NAME, Secret.ACCESS_BY_NAME_VERSION)
                        .setParameter("environment", environment)
                        .setParameter("name", name)
                        .setParameter("principals", principals)
                        .getResultList())
                .map(rows -> combine(rows).values().stream().findFirst().orElse(null));
    }

    /** Current versions of several secrets of one environment, keyed by name; absent names are missing. */
    public Uni<Map<String, Found>> findBatchForAccess(String environment, Collection<String> names, List<String> principals) {
        return getSession()
                .chain(session -> accessQuery(session, null, Secret.ACCESS_BATCH, null)
                        .setParameter("environment", environment)
                        .setParameter("names", names)
                        .setParameter("principals", principals)
                        .getResultList())
                .map(rows -> {
                    Map<String, Found> byName = new LinkedHashMap<>();
                    for (Found found : combine(rows).values()) {
                        byName.put(found.secret().name, found);
                    }
                    return byName;
                });
    }

    /** The secret by id (deleted ones too) with the OR of the principals' grant bits; null when absent. */
    public Uni<Found> findWithGrants(UUID id, List<String> principals) {
        return getSession()
                .chain(session -> session.createNamedQuery(Secret.WITH_GRANTS, Object[].class)
                        .setParameter("id", id)
                        .setParameter("principals", principals)
                        .getResultList())
                .map(rows -> {
                    Found found = null;
                    for (Object[] row : rows) {
                        int bits = row[1] == null ? 0 : ((Number) row[1]).intValue();
                        found = new Found((Secret) row[0], null, found == null ? bits : found.grantedBits() | bits);
                    }
                    return found;
                });
    }

    /** The secret locked for update until the transaction ends (every change takes this lock first). */
    public Uni<Secret> lock(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    public Uni<Boolean> nameTaken(String environment, String name) {
        return count("environment = ?1 and name = ?2", environment, name)
                .map(n -> n > 0);
    }

    /**
     * Ids of secrets whose scheduled rotation may run now, locked so another replica skips them; the
     * caller then moves their {@code rotationAttemptAt} past its lease in the same transaction.
     */
    public Uni<List<UUID>> claimDueRotations(LocalDateTime now, int limit) {
        return getSession()
                .chain(session -> session.createNativeQuery(
                                "SELECT id FROM secret WHERE rotation_attempt_at <= :now AND deleted_at IS NULL"
                                        + " ORDER BY rotation_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED", byte[].class)
                        .setParameter("now", now)
                        .setParameter("limit", limit)
                        .getResultList())
                .map(ids -> ids.stream().map(UuidV7::fromBytes).toList());
    }

    public Uni<Integer> leaseRotations(List<UUID> ids, LocalDateTime until) {
        return update("rotationAttemptAt = ?1 where id in ?2", until, ids);
    }

    private static Mutiny.SelectionQuery<Object[]> accessQuery(Mutiny.Session session, Integer version, String current,
            String atVersion) {
        Mutiny.SelectionQuery<Object[]> query = session.createNamedQuery(version == null ? current : atVersion, Object[].class);
        if (version != null) {
            query.setParameter("version", version);
        }
        return query;
    }

    /** Rows are one per matching grant (or one without): OR the bits per secret. */
    private static Map<UUID, Found> combine(List<Object[]> rows) {
        Map<UUID, Found> found = new LinkedHashMap<>();
        for (Object[] row : rows) {
            Secret secret = (Secret) row[0];
            SecretVersion version = (SecretVersion) row[1];
            int bits = row[2] == null ? 0 : ((Number) row[2]).intValue();
            Found previous = found.get(secret.id);
            found.put(secret.id, new Found(secret, version, previous == null ? bits : previous.grantedBits() | bits));
        }
        return found;
    }
}
