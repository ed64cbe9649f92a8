package dev.strongroom.sharing;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDateTime;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A share link: the hash of its token, the value encrypted under the link's key (until it ends), its expiry and
 * view budget. Times are UTC. {@code toString} names the share, never its hash, ciphertext or passphrase hash.
 */
@Entity
@Table(name = "share")
public class Share extends PanacheEntityBase {

    @Id
    @JdbcTypeCode(SqlTypes.BINARY)
    @Column(columnDefinition = "BINARY(16)")
    public UUID id;

    @Column(name = "token_hash", columnDefinition = "BINARY(32)")
    public byte[] tokenHash;

    @JdbcTypeCode(SqlTypes.BINARY)
    @Column(name = "secret_id", columnDefinition = "BINARY(16)")
    public UUID secretId;

    @Column(name = "secret_version")
    public int secretVersion;

    @Column(name = "secret_name")
    public String secretName;

    public String environment;

    @Column(name = "created_by_id")
    public String createdById;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "notify_email")
    public String notifyEmail;

    @Column(name = "created_at")
    public LocalDateTime createdAt;

    @Column(name = "expires_at")
    public LocalDateTime expiresAt;

    @Column(name = "max_views")
    public int maxViews;

    @Column(name = "views_left")
    public int viewsLeft;

    public String state;

    @Column(name = "ended_at")
    public LocalDateTime endedAt;

    public byte[] ciphertext;

    @Column(name = "passphrase_hash")
    public String passphraseHash;

    @Column(name = "failed_tries")
    public int failedTries;

    @Column(name = "pending_tries")
    public int pendingTries;

    @Column(name = "tried_at")
    public LocalDateTime triedAt;

    @Override
    public String toString() {
        return "Share[" + id + " of secret " + secretId + " v" + secretVersion + ", " + state + ", viewsLeft=" + viewsLeft + "]";
    }
}
