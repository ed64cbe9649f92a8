package dev.strongroom.auth;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDateTime;

/** One refresh token of a session, stored only as its SHA-256. */
@Entity
@Table(name = "refresh_tokens")
public class RefreshToken extends PanacheEntityBase {

    @Id
    @Column(name = "token_hash")
    public byte[] tokenHash;

    @Column(name = "session_id", nullable = false)
    public String sessionId;

    @Column(name = "created_at", nullable = false)
    public LocalDateTime createdAt;

    @Column(name = "expires_at", nullable = false)
    public LocalDateTime expiresAt;

    /** Set once exchanged; a second presentation is reuse. */
    @Column(name = "used_at")
    public LocalDateTime usedAt;

    @Override
    public String toString() {
        return "RefreshToken[session=" + sessionId + ", used=" + (usedAt != null) + "]";
    }
}
