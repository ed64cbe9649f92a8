package dev.strongroom.auth.repository;

import dev.strongroom.auth.Session;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;

@ApplicationScoped
public class SessionRepository implements PanacheRepositoryBase<Session, String> {

    public Uni<Session> findByIdForUpdate(String id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The user's sessions that are not revoked yet. */
    public Uni<List<Session>> findActiveOfUser(String userId) {
        return list("userId = ?1 and revokedAt is null", userId);
    }
}
