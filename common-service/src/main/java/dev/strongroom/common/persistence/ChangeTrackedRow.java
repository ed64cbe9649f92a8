package dev.strongroom.common.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Version;
import java.time.LocalDateTime;

/**
 * The columns of a row that is changed in place: when it was made and last changed (UTC), and the
 * optimistic-lock version that makes two concurrent changes of it fail one of them instead of losing one.
 * The owning table has {@code created_at}, {@code updated_at} and {@code row_version} columns.
 */
@MappedSuperclass
public abstract class ChangeTrackedRow extends PanacheEntityBase {

    /** UTC. */
    @Column(name = "created_at", nullable = false)
    public LocalDateTime createdAt;

    /** UTC. */
    @Column(name = "updated_at", nullable = false)
    public LocalDateTime updatedAt;

    @Version
    @Column(name = "row_version", nullable = false)
    public long rowVersion;
}
