package dev.strongroom.secrets;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.LocalDateTime;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * Permissions of one principal on one secret. {@code environment} and {@code name} copy the
 * secret's (immutable) so a principal's grants list in the same order as secrets.
 */
@Entity
@Table(name = "secret_grant")
@IdClass(SecretGrant.Key.class)
public class SecretGrant extends PanacheEntityBase {

    @Id
    @JdbcTypeCode(SqlTypes.BINARY)
    @Column(name = "secret_id", columnDefinition = "BINARY(16)")
    public UUID secretId;

    @Id
    public String principal;

    /** Bit set of {@link Permission}s. */
    public int permissions;
    public String environment;
    public String name;
    @Column(name = "created_at")
    public LocalDateTime createdAt;
    @Column(name = "created_by")
    public String createdBy;

    @Override
    public String toString() {
        return "SecretGrant[" + secretId + ", " + principal + ", " + Permission.of(permissions) + "]";
    }

    /** Composite id: secret and principal. */
    public static class Key implements Serializable {
        public UUID secretId;
        public String principal;

        public Key() {}

        public Key(UUID secretId, String principal) {
            this.secretId = secretId;
            this.principal = principal;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key k && Objects.equals(k.secretId, secretId) && Objects.equals(k.principal, principal);
        }

        @Override
        public int hashCode() {
            return Objects.hash(secretId, principal);
        }
    }
}
