package dev.strongroom.secrets.repository;

import dev.strongroom.secrets.SecretTag;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class SecretTagRepository implements PanacheRepositoryBase<SecretTag, SecretTag.Key> {

    /** Replaces the secret's indexed tags with {@code tags}. */
    public Uni<Void> replace(UUID secretId, Map<String, String> tags) {
        List<SecretTag> rows = tags.entrySet().stream()
                .map(e -> new SecretTag(secretId, e.getKey(), e.getValue()))
                .toList();
        return delete("secretId", secretId)
                .chain(() -> rows.isEmpty() ? Uni.createFrom().voidItem() : persist(rows));
    }
}
