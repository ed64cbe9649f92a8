package dev.strongroom.keys.repository;

import dev.strongroom.keys.KeyVersion;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;

@ApplicationScoped
public class KeyVersionRepository implements PanacheRepositoryBase<KeyVersion, KeyVersion.Id> {

    public Uni<List<KeyVersion>> listForKey(String keyName) {
        return list("id.keyName = ?1", Sort.by("id.version"), keyName);
    }

    public Uni<List<KeyVersion>> listForKeys(Collection<String> keyNames) {
        if (keyNames.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return list("id.keyName in ?1", Sort.by("id.keyName").and("id.version"), keyNames);
    }
}
