package dev.strongroom.auth.repository;

import dev.strongroom.auth.ServiceAccount;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class ServiceAccountRepository implements PanacheRepositoryBase<ServiceAccount, String> {

    public Uni<ServiceAccount> findByClientId(String clientId) {
        return find("clientId", clientId).firstResult();
    }

    public Uni<ServiceAccount> findByName(String name) {
        return find("name", name).firstResult();
    }

    public Uni<List<ServiceAccount>> listAfter(String after, int limit) {
        return (after == null ? findAll(Sort.by("id")) : find("id > ?1", Sort.by("id"), after))
                .range(0, limit - 1)
                .list();
    }
}
