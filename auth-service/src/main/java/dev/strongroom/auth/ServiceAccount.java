package dev.strongroom.auth;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDateTime;
import java.util.Set;

/** A non-human client using the OAuth2 client-credentials grant; the secret is held only as its SHA-256. */
@Entity
@Table(name = "service_accounts")
public class ServiceAccount extends PanacheEntityBase {

    public static final String ORIGIN_API = "api";
    public static final String ORIGIN_CONFIG = "config";

    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    @Column(name = "client_id", nullable = false)
    public String clientId;

    @Column(name = "secret_hash", nullable = false)
    public byte[] secretHash;

    @Column(nullable = false)
    public String roles;

    @Column(nullable = false)
    public String origin;

    @Column(name = "created_at", nullable = false)
    public LocalDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public LocalDateTime updatedAt;

    public Set<String> roleSet() {
        return Roles.parse(roles);
    }

    @Override
    public String toString() {
        return "ServiceAccount[" + id + ", " + name + ", roles=" + roles + "]";
    }
}
