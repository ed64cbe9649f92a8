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
 * One version of a secret's value: the envelope (ciphertext only, bound to secret id, version and
 * environment), who made it and how. A destroyed version keeps its metadata and loses its ciphertext.
 */
@Entity
@Table(name = "secret_version")
@IdClass(SecretVersion.Key.class)
public class SecretVersion extends PanacheEntityBase {

    /** How a version came to be. */
    public enum Origin {
        CREATE, WRITE, ROTATE, SCHEDULE, ROLLBACK;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Id
    @JdbcTypeCode(SqlTypes.BINARY)
    @Column(name = "secret_id", columnDefinition = "BINARY(16)")
    public UUID secretId;

    @Id
    public int version;

    /** The envelope; null once destroyed. */
    public byte[] ciphertext;
    @Column(name = "kek_name")
    public String kekName;
    @Column(name = "kek_version")
    public Integer kekVersion;
    public String origin;
    @Column(name = "rolled_back_from")
    public Integer rolledBackFrom;
    @Column(name = "created_at")
    public LocalDateTime createdAt;
    @Column(name = "created_by")
    public String createdBy;
    @Column(name = "destroyed_at")
    public LocalDateTime destroyedAt;
    @Column(name = "destroyed_by")
    public String destroyedBy;

    public boolean destroyed() {
        return destroyedAt != null || ciphertext == null;
    }

    @Override
    public String toString() {
        return "SecretVersion[" + secretId + " v" + version + (destroyed() ? ", destroyed" : "") + "]";
    }

    /** Composite id: secret and version number. */
    public static class Key implements Serializable {
        public UUID secretId;
        public int version;

        public Key() {}

        public Key(UUID secretId, int version) {
            this.secretId = secretId;
            this.version = version;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key k && k.version == version && Objects.equals(k.secretId, secretId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(secretId, version);
        }
    }
}
