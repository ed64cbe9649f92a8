package dev.strongroom.secrets.repository;

import dev.strongroom.secrets.Secret;
import dev.strongroom.secrets.SecretTag;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class SecretTagRepository implements PanacheRepositoryBase<SecretTag, SecretTag.Key> {

    /** Replaces the secret's indexed tags with {@code tags}. */
    public Uni<Void> replace(Secret secret, Map<String, String> tags) {
        List<SecretTag> rows = tags.entrySet().stream()
                .map(e -> new SecretTag(secret, e.getKey(), e.getValue()))
                .toList();
        return delete("secretId", secret.id)
                .chain(() -> rows.isEmpty() ? Uni.createFrom().voidItem() : persist(rows));
    }
}
