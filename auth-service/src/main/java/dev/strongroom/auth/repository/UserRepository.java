package dev.strongroom.auth.repository;

import dev.strongroom.auth.User;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Locale;

@ApplicationScoped
public class UserRepository implements PanacheRepositoryBase<User, String> {

    public static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    /** The account of this username (case-insensitive), or null. */
    public Uni<User> findByUsername(String username) {
        return find("usernameKey", key(username)).firstResult();
    }

    /**
     * Ids of up to {@code limit} accounts after {@code after} (null: from the start), in id order, whose
     * TOTP secret or pending secret is still plaintext base32 of an earlier version (not an envelope,
     * whose first byte is 0x01).
     */
    public Uni<List<String>> findIdsWithPlaintextTotp(String after, int limit) {
        return getSession().chain(session -> session.createNativeQuery("""
                        SELECT id FROM users
                        WHERE id > :after
                          AND ((totp_secret IS NOT NULL AND LEFT(totp_secret, 1) <> X'01')
                            OR (totp_pending_secret IS NOT NULL AND LEFT(totp_pending_secret, 1) <> X'01'))
                        ORDER BY id
                        LIMIT :limit""", String.class)
                .setParameter("after", after == null ? "" : after)
                .setParameter("limit", limit)
                .getResultList());
    }

    /** The account, locked until the transaction ends. */
    public Uni<User> findByIdForUpdate(String id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Up to {@code limit} accounts created after the one with id {@code after} (null: from the start), oldest first. */
    public Uni<List<User>> listAfter(String after, int limit) {
        return (after == null ? findAll(Sort.by("id")) : find("id > ?1", Sort.by("id"), after))
                .range(0, limit - 1)
                .list();
    }
}
