package dev.strongroom.secrets.repository;

import dev.strongroom.common.audit.UuidV7;
import dev.strongroom.secrets.PrincipalSlots;
import dev.strongroom.secrets.Secret;
import dev.strongroom.secrets.SecretVersion;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.hibernate.reactive.mutiny.Mutiny;

/** Queries on secrets. The access queries fetch secret, version and the caller's grants in one round trip. */
@ApplicationScoped
public class SecretRepository implements PanacheRepositoryBase<Secret, UUID> {

    /** The secret by id with the given version (null: current) and the principals' grants; null when absent. */
    public Uni<Found> findForAccess(UUID id, Integer version, List<String> principals) {
        return accessRows(version == null ? Secret.ACCESS_BY_ID : Secret.ACCESS_BY_ID_VERSION, principals, query -> {
            query.setParameter("id", id);
            bindVersion(query, version);
        })
                .map(rows -> combine(rows).values().stream().findFirst().orElse(null));
    }

    /** The same, addressed by environment and name. */
    public Uni<Found> findByNameForAccess(String environment, String name, Integer version, List<String> principals) {
        return accessRows(version == null ? Secret.ACCESS_BY_NAME : Secret.ACCESS_BY_NAME_VERSION, principals, query -> {
            query.setParameter("environment", environment);
            query.setParameter("name", name);
            bindVersion(query, version);
        })
                .map(rows -> combine(rows).values().stream().findFirst().orElse(null));
    }

    /** Current versions of several secrets of one environment, keyed by name; absent names are missing. */
    public Uni<Map<String, Found>> findBatchForAccess(String environment, Collection<String> names, List<String> principals) {
        return accessRows(Secret.ACCESS_BATCH, principals, query -> {
            query.setParameter("environment", environment);
            query.setParameter("names", names);
        })
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
        return accessRows(Secret.WITH_GRANTS, principals, query -> query.setParameter("id", id))
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

    /**
     * Runs a named access query once per group of {@link PrincipalSlots#SLOTS} principals (once for
     * nearly every caller) and returns all rows.
     */
    private Uni<List<Object[]>> accessRows(String queryName, List<String> principals,
            Consumer<Mutiny.SelectionQuery<Object[]>> binder) {
        return getSession()
                .chain(session -> Multi.createFrom().iterable(PrincipalSlots.groups(principals))
                        .onItem().transformToUniAndConcatenate(group -> {
                            Mutiny.SelectionQuery<Object[]> query = session.createNamedQuery(queryName, Object[].class);
                            for (int i = 0; i < PrincipalSlots.SLOTS; i++) {
                                query.setParameter(PrincipalSlots.name(i), PrincipalSlots.value(group, i));
                            }
                            binder.accept(query);
                            return query.getResultList();
                        })
                        .collect().in(ArrayList::new, List::addAll));
    }

    private static void bindVersion(Mutiny.SelectionQuery<Object[]> query, Integer version) {
        if (version != null) {
            query.setParameter("version", version);
        }
    }

    /** Rows are one per matching grant (or one without): OR the bits per secret. */
    private static Map<UUID, Found> combine(List<Object[]> rows) {
        Map<UUID, Found> found = new LinkedHashMap<>();
        for (Object[] row : rows) {
            Secret secret = (Secret) row[0];
            SecretVersion version = (SecretVersion) row[1];
            int bits = row[2] == null ? 0 : ((Number) row[2]).intValue();
            Found previous = found.get(secret.id);
            found.put(secret.id, new Found(secret, version != null ? version : previous == null ? null : previous.version(),
                    previous == null ? bits : previous.grantedBits() | bits));
        }
        return found;
    }
}
