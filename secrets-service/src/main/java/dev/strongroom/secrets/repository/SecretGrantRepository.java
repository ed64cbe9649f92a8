package dev.strongroom.secrets.repository;

import dev.strongroom.secrets.SecretGrant;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class SecretGrantRepository implements PanacheRepositoryBase<SecretGrant, SecretGrant.Key> {

    public Uni<List<SecretGrant>> listForSecret(UUID secretId) {
        return list("secretId", Sort.ascending("principal"), secretId);
    }

    /** OR of the permission bits the principals hold on the secret. */
    public Uni<Integer> bitsFor(UUID secretId, List<String> principals) {
        return getSession()
                .chain(session -> session.createSelectionQuery(
                                "select g.permissions from SecretGrant g where g.secretId = :id and g.principal in (:principals)",
                                Integer.class)
                        .setParameter("id", secretId)
                        .setParameter("principals", principals)
                        .getResultList())
                .map(bits -> bits.stream().mapToInt(Integer::intValue).reduce(0, (a, b) -> a | b));
    }

    public Uni<Long> deleteForSecret(UUID secretId) {
        return delete("secretId", secretId);
    }
}
