package dev.strongroom.auth.repository;

import dev.strongroom.auth.RefreshToken;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

@ApplicationScoped
public class RefreshTokenRepository implements PanacheRepositoryBase<RefreshToken, byte[]> {

    /** The token with this hash, locked so two concurrent refreshes cannot both use it. */
    public Uni<RefreshToken> findByHashForUpdate(byte[] hash) {
        return findById(hash, LockModeType.PESSIMISTIC_WRITE);
    }
}
