package dev.strongroom.secrets;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One tag of a secret, indexed for the {@code tag=k:v} filter ({@link Secret#tags} holds the shown copy). */
@Entity
@Table(name = "secret_tag")
@IdClass(SecretTag.Key.class)
public class SecretTag extends PanacheEntityBase {

    @Id
    @JdbcTypeCode(SqlTypes.BINARY)
    @Column(name = "secret_id", columnDefinition = "BINARY(16)")
    public UUID secretId;

    @Id
    @Column(name = "tag_key")
    public String key;

    @Column(name = "tag_value")
    public String value;

    /** The secret's environment and name (immutable copies, for listing order). */
    public String environment;
    public String name;

    public SecretTag() {}

    public SecretTag(Secret secret, String key, String value) {
        this.secretId = secret.id;
        this.environment = secret.environment;
        this.name = secret.name;
        this.key = key;
        this.value = value;
    }

    /** Composite id: secret and tag key. */
    public static class Key implements Serializable {
        public UUID secretId;
        public String key;

        public Key() {}

        @Override
        public boolean equals(Object other) {
            return other instanceof Key k && Objects.equals(k.secretId, secretId) && Objects.equals(k.key, key);
        }

        @Override
        public int hashCode() {
            return Objects.hash(secretId, key);
        }
    }
}
