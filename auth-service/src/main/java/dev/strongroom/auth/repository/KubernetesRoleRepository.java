package dev.strongroom.auth.repository;

import dev.strongroom.auth.KubernetesRole;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class KubernetesRoleRepository implements PanacheRepositoryBase<KubernetesRole, String> {

    public Uni<KubernetesRole> findByName(String name) {
        return find("name", name).firstResult();
    }

    public Uni<List<KubernetesRole>> listAfter(String after, int limit) {
        return (after == null ? findAll(Sort.by("name")) : find("name > ?1", Sort.by("name"), after))
                .range(0, limit - 1)
                .list();
    }
}
