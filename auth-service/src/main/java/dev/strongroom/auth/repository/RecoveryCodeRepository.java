package dev.strongroom.auth.repository;

import dev.strongroom.auth.RecoveryCode;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class RecoveryCodeRepository implements PanacheRepositoryBase<RecoveryCode, String> {

    public Uni<List<RecoveryCode>> findUnusedOfUser(String userId) {
        return list("userId = ?1 and usedAt is null", userId);
    }

    public Uni<Long> deleteOfUser(String userId) {
        return delete("userId", userId);
    }
}
