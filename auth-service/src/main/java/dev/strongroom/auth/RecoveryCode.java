package dev.strongroom.auth;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDateTime;

/** A single-use MFA recovery code, stored only as its SHA-256 (the code carries 80 random bits). */
@Entity
@Table(name = "recovery_codes")
public class RecoveryCode extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(name = "code_hash", nullable = false)
    public byte[] codeHash;

    @Column(name = "used_at")
    public LocalDateTime usedAt;

    @Column(name = "created_at", nullable = false)
    public LocalDateTime createdAt;

    @Override
    public String toString() {
        return "RecoveryCode[" + id + ", used=" + (usedAt != null) + "]";
    }
}
