package dev.strongroom.auth;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDateTime;

/** A revoked sid without a session row (a deleted service account or Kubernetes role), waiting to be relayed. */
@Entity
@Table(name = "revocations")
public class Revocation extends PanacheEntityBase {

    @Id
    public String sid;

    @Column(nullable = false)
    public String reason;

    @Column(name = "revoked_at", nullable = false)
    public LocalDateTime revokedAt;

    @Column(nullable = false)
    public boolean published;
}
