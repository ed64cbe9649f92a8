package dev.strongroom.auth;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDateTime;

/** A login session: the {@code sid} of its access tokens, and the family of its refresh tokens. */
@Entity
@Table(name = "sessions")
public class Session extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(name = "created_at", nullable = false)
    public LocalDateTime createdAt;

    @Column(name = "last_refreshed_at")
    public LocalDateTime lastRefreshedAt;

    @Column(name = "revoked_at")
    public LocalDateTime revokedAt;

    @Column(name = "revoke_reason")
    public String revokeReason;

    @Column(name = "revocation_published", nullable = false)
    public boolean revocationPublished;

    public String ip;

    @Column(name = "user_agent")
    public String userAgent;

    public boolean revoked() {
        return revokedAt != null;
    }

    @Override
    public String toString() {
        return "Session[" + id + ", user=" + userId + ", revoked=" + (revokedAt != null) + "]";
    }
}
