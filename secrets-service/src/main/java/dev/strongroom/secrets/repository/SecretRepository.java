package dev.strongroom.secrets.repository;

import dev.strongroom.common.id.UuidV7;
import dev.strongroom.secrets.PrincipalSlots;
import dev.strongroom.secrets.Secret;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.hibernate.reactive.mutiny.Mutiny;

/** Queries on secrets: with the caller's grants (metadata, grant changes), locks, due rotations. Reveals use {@link AccessQuery}. */
@ApplicationScoped
public class SecretRepository implements PanacheRepositoryBase<Secret, UUID> {

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

    /** The secret holding a name in an environment, soft-deleted ones too; null when the name is free. */
    public Uni<Secret> findByName(String environment, String name) {
        return find("environment = ?1 and name = ?2", environment, name).firstResult();
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
}
