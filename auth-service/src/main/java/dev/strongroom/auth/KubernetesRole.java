package dev.strongroom.auth;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDateTime;
import java.util.Set;

/** Which Kubernetes workloads may log in under this role, and the Strongroom roles they get. */
@Entity
@Table(name = "kubernetes_roles")
public class KubernetesRole extends PanacheEntityBase {

    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    /** Comma-separated; {@code *} allows any. */
    @Column(name = "bound_namespaces", nullable = false)
    public String boundNamespaces;

    /** Comma-separated; {@code *} allows any. */
    @Column(name = "bound_service_accounts", nullable = false)
    public String boundServiceAccounts;

    @Column(nullable = false)
    public String audience;

    @Column(nullable = false)
    public String roles;

    @Column(name = "created_at", nullable = false)
    public LocalDateTime createdAt;

    public Set<String> namespaces() {
        return Roles.parse(boundNamespaces);
    }

    public Set<String> serviceAccounts() {
        return Roles.parse(boundServiceAccounts);
    }

    public Set<String> roleSet() {
        return Roles.parse(roles);
    }

    @Override
    public String toString() {
        return "KubernetesRole[" + name + "]";
    }
}
