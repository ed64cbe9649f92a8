package dev.strongroom.keys.repository;

import dev.strongroom.keys.Key;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.LocalDateTime;
import java.util.List;

@ApplicationScoped
public class KeyRepository implements PanacheRepositoryBase<Key, String> {

    /** The key, locked for update until the transaction ends (rotation, patch, re-seal). */
    public Uni<Key> findByNameForUpdate(String name) {
        return findById(name, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Up to {@code limit} keys whose name sorts after {@code after} (null: from the start), by name. */
    public Uni<List<Key>> listAfter(String after, int limit) {
        return (after == null ? findAll(Sort.by("name")) : find("name > ?1", Sort.by("name"), after))
                .range(0, limit - 1)
                .list();
    }

    /**
     * Names of keys due for scheduled rotation, locked for this transaction; rows another replica
     * has locked are skipped, so replicas never rotate the same key twice.
     */
    public Uni<List<String>> lockDueForRotation(LocalDateTime now, int limit) {
        return getSession()
                .chain(session -> session.createNativeQuery(
                                "SELECT name FROM kms_keys WHERE next_rotation_at <= :now ORDER BY next_rotation_at"
                                        + " LIMIT :limit FOR UPDATE SKIP LOCKED", String.class)
                        .setParameter("now", now)
                        .setParameter("limit", limit)
                        .getResultList());
    }

    /** How many keys were due for scheduled rotation at {@code cutoff} or earlier and still are. */
    public Uni<Long> countDueBefore(LocalDateTime cutoff) {
        return count("nextRotationAt <= ?1", cutoff);
    }

    /** Names of keys sealed by another root key than {@code currentRef}, locked for this transaction. */
    public Uni<List<String>> lockSealedByOtherRoot(String currentRef, int limit) {
        return getSession()
                .chain(session -> session.createNativeQuery(
                                "SELECT name FROM kms_keys WHERE sealed_by <> :ref ORDER BY name LIMIT :limit FOR UPDATE",
                                String.class)
                        .setParameter("ref", currentRef)
                        .setParameter("limit", limit)
                        .getResultList());
    }

    /** The root-key references that sealed the stored keysets. */
    public Uni<List<String>> distinctSealedBy() {
        return getSession()
                .chain(session -> session.createNativeQuery("SELECT DISTINCT sealed_by FROM kms_keys", String.class)
                        .getResultList());
    }
}
