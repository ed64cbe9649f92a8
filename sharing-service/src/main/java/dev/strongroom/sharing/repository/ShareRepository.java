package dev.strongroom.sharing.repository;

import dev.strongroom.common.id.UuidV7;
import dev.strongroom.sharing.Share;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Queries of {@link Share}s. Every change of a share's budget or state is one conditional UPDATE whose
 * WHERE clause states what must still hold (active, not expired, views left, tries left), so concurrent
 * requests and replicas decide by the affected-row count under InnoDB's row lock, never by a value read earlier.
 * Each such UPDATE names {@code FORCE INDEX (PRIMARY)}: MariaDB sometimes searched the row through
 * {@code ix_share_state_expires} (the WHERE names {@code state}), locking index entries of other shares too, and
 * concurrent opens and guesses of one share then deadlocked on those in different orders.
 */
@ApplicationScoped
public class ShareRepository implements PanacheRepositoryBase<Share, UUID> {

    /** What a spent view leaves: the ciphertext (read under the row lock of the spending UPDATE) and the views left. */
    public record Spent(byte[] ciphertext, int viewsLeft) {
        @Override
        public String toString() {
            return "Spent[viewsLeft=" + viewsLeft + "]";
        }
    }

    public Uni<Share> findByTokenHash(byte[] tokenHash) {
        return find("tokenHash", tokenHash).firstResult();
    }

    /** The creator's shares, newest first, after the cursor id (UUIDv7 ids sort by creation). */
    public Uni<List<Share>> listByCreator(String creatorId, UUID before, int limit) {
        if (before == null) {
            return find("createdById = ?1 order by id desc", creatorId).page(0, limit).list();
        }
        return find("createdById = ?1 and id < ?2 order by id desc", creatorId, before).page(0, limit).list();
    }

    /** Spends one view if the share is active, unexpired and has one left: 1 when this call got it, else 0. */
    public Uni<Integer> spendView(UUID id, LocalDateTime now) {
        return getSession()
                .chain(session -> session.createNativeQuery("UPDATE share FORCE INDEX (PRIMARY) SET views_left = views_left - 1"
                                + " WHERE id = :id AND state = 'active' AND views_left > 0 AND expires_at > :now")
                        .setParameter("id", UuidV7.toBytes(id))
                        .setParameter("now", now)
                        .executeUpdate());
    }

    /** Ciphertext and views left, read in the transaction that spent the view (it holds the row lock). */
    public Uni<Spent> spent(UUID id) {
        return getSession()
                .chain(session -> session.createNativeQuery("SELECT ciphertext, views_left FROM share WHERE id = :id", Object[].class)
                        .setParameter("id", UuidV7.toBytes(id))
                        .getSingleResult())
                .map(row -> new Spent(bytes(row[0]), ((Number) row[1]).intValue()));
    }

    /**
     * Ends an active share in {@code state}, deleting its ciphertext, when {@code condition} (SQL over the row) holds:
     * 1 when this call ended it.
     */
    public Uni<Integer> end(UUID id, String state, String condition, LocalDateTime now) {
        return getSession()
                .chain(session -> session.createNativeQuery("UPDATE share FORCE INDEX (PRIMARY) SET state = :state, ciphertext = NULL, ended_at = :now"
                                + " WHERE id = :id AND state = 'active' AND (" + condition + ")")
                        .setParameter("id", UuidV7.toBytes(id))
                        .setParameter("state", state)
                        .setParameter("now", now)
                        .executeUpdate());
    }

    /** The share's state as stored now (bypassing the session's copy). */
    public Uni<String> stateOf(UUID id) {
        return getSession()
                .chain(session -> session.createNativeQuery("SELECT state FROM share WHERE id = :id", String.class)
                        .setParameter("id", UuidV7.toBytes(id))
                        .getSingleResultOrNull());
    }

    /** Reserves a passphrase check if fewer than {@code max} tries are spent or in flight: 1 when reserved. */
    public Uni<Integer> reserveTry(UUID id, int max, LocalDateTime now) {
        return getSession()
                .chain(session -> session.createNativeQuery("UPDATE share FORCE INDEX (PRIMARY) SET pending_tries = pending_tries + 1, tried_at = :now"
                                + " WHERE id = :id AND state = 'active' AND failed_tries + pending_tries < :max")
                        .setParameter("id", UuidV7.toBytes(id))
                        .setParameter("max", max)
                        .setParameter("now", now)
                        .executeUpdate());
    }

    /** Settles a reserved check: a wrong passphrase counts as a failed try; a right one gives the reservation back. */
    public Uni<Integer> settleTry(UUID id, boolean wrong) {
        return getSession()
                .chain(session -> session.createNativeQuery("UPDATE share FORCE INDEX (PRIMARY) SET pending_tries = GREATEST(pending_tries - 1, 0)"
                                + (wrong ? ", failed_tries = failed_tries + 1" : "") + " WHERE id = :id")
                        .setParameter("id", UuidV7.toBytes(id))
                        .executeUpdate());
    }

    /** Failed tries so far. */
    public Uni<Integer> failedTries(UUID id) {
        return getSession()
                .chain(session -> session.createNativeQuery("SELECT failed_tries FROM share WHERE id = :id", Integer.class)
                        .setParameter("id", UuidV7.toBytes(id))
                        .getSingleResult());
    }

    /** Active shares past their expiry, locked (other replicas skip them) for the purge job to end. */
    public Uni<List<UUID>> claimExpired(LocalDateTime now, int limit) {
        return getSession()
                .chain(session -> session.createNativeQuery("SELECT id FROM share WHERE state = 'active' AND expires_at <= :now"
                                + " ORDER BY expires_at LIMIT :limit FOR UPDATE SKIP LOCKED", byte[].class)
                        .setParameter("now", now)
                        .setParameter("limit", limit)
                        .getResultList())
                .map(ids -> ids.stream().map(UuidV7::fromBytes).toList());
    }

    /** Deletes the metadata rows of shares that ended before {@code cutoff}, at most {@code limit}. */
    public Uni<Integer> deleteEndedBefore(LocalDateTime cutoff, int limit) {
        return getSession()
                .chain(session -> session.createNativeQuery("DELETE FROM share WHERE state <> 'active' AND ended_at < :cutoff LIMIT :limit")
                        .setParameter("cutoff", cutoff)
                        .setParameter("limit", limit)
                        .executeUpdate());
    }

    /**
     * Gives back passphrase checks reserved before {@code cutoff} that never settled (their replica died). Finds them
     * with a plain read, then updates them by primary key: an UPDATE with this WHERE scans the table and, under
     * REPEATABLE READ, locks every row it passes, which deadlocked with opens spending a view (RollingOperationsIT).
     */
    public Uni<Integer> releaseStaleTries(LocalDateTime cutoff, int limit) {
        return getSession()
                .chain(session -> session.createNativeQuery("SELECT id FROM share WHERE pending_tries > 0 AND tried_at < :cutoff"
                                + " LIMIT :limit", byte[].class)
                        .setParameter("cutoff", cutoff)
                        .setParameter("limit", limit)
                        .getResultList()
                        .chain(ids -> ids.isEmpty() ? Uni.createFrom().item(0)
                                : session.createNativeQuery("UPDATE share FORCE INDEX (PRIMARY) SET pending_tries = 0"
                                                + " WHERE id IN (:ids) AND pending_tries > 0 AND tried_at < :cutoff")
                                        .setParameter("ids", ids)
                                        .setParameter("cutoff", cutoff)
                                        .executeUpdate()));
    }

    /** A BLOB column of a native query: byte[] or a {@link java.sql.Blob}, by driver and size. */
    private static byte[] bytes(Object column) {
        if (column == null || column instanceof byte[]) {
            return (byte[]) column;
        }
        try {
            java.sql.Blob blob = (java.sql.Blob) column;
            return blob.getBytes(1, (int) blob.length());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("unreadable ciphertext column", e);
        }
    }

    /** Active, unexpired shares (the gauge). */
    public Uni<Long> countActive(LocalDateTime now) {
        return count("state = 'active' and expiresAt > ?1", now);
    }
}
