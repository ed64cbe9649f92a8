package dev.strongroom.auth;

import dev.strongroom.common.persistence.ChangeTrackedRow;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDateTime;
import java.util.Set;

/** A person's account. The password is held only as an Argon2id PHC hash. */
@Entity
@Table(name = "users")
public class User extends ChangeTrackedRow {

    @Id
    public String id;

    @Column(nullable = false)
    public String username;

    @Column(name = "username_key", nullable = false)
    public String usernameKey;

    public String email;

    @Column(name = "password_hash", nullable = false)
    public String passwordHash;

    @Column(nullable = false)
    public String roles;

    @Column(nullable = false)
    public boolean disabled;

    @Column(name = "failed_logins", nullable = false)
    public int failedLogins;

    /** UTC. */
    @Column(name = "locked_until")
    public LocalDateTime lockedUntil;

    /**
     * The TOTP secret once MFA is confirmed, sealed by {@code TotpSecrets} (an envelope bound to this id
     * and column); base32 text in rows an earlier version wrote, until the start-up upgrade seals them.
     */
    @Column(name = "totp_secret")
    public byte[] totpSecret;

    /** The TOTP secret of an enrolment not yet confirmed, sealed the same way. */
    @Column(name = "totp_pending_secret")
    public byte[] totpPendingSecret;

    @Column(name = "totp_last_step", nullable = false)
    public long totpLastStep;

    @Column(name = "password_changed_at", nullable = false)
    public LocalDateTime passwordChangedAt;

    public Set<String> roleSet() {
        return Roles.parse(roles);
    }

    public boolean mfaEnabled() {
        return totpSecret != null;
    }

    @Override
    public String toString() {
        return "User[" + id + ", " + username + ", roles=" + roles + ", disabled=" + disabled + "]";
    }
}
