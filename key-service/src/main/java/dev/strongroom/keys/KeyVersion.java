package dev.strongroom.keys;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.LocalDateTime;

/** When a version of a key was made (the key material itself is in the key's sealed keyset). */
@Entity
@Table(name = "kms_key_versions")
public class KeyVersion extends PanacheEntityBase {

    @EmbeddedId
    public Id id;

    /** UTC. */
    @Column(name = "created_at", nullable = false)
    public LocalDateTime createdAt;

    public static KeyVersion of(String keyName, int version, LocalDateTime createdAt) {
        KeyVersion v = new KeyVersion();
        v.id = new Id(keyName, version);
        v.createdAt = createdAt;
        return v;
    }

    public int version() {
        return id.version;
    }

    /** The state of a version for a key: primary, active (decrypts) or retired (below the minimum decryption version). */
    public String state(Key key) {
        if (id.version == key.primaryVersion) {
            return "primary";
        }
        return id.version >= key.minDecryptionVersion ? "active" : "retired";
    }

    @Embeddable
    public static class Id implements Serializable {
        @Column(name = "key_name")
        public String keyName;

        @Column(name = "version")
        public int version;

        public Id() {}

        public Id(String keyName, int version) {
            this.keyName = keyName;
            this.version = version;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Id o && o.keyName.equals(keyName) && o.version == version;
        }

        @Override
        public int hashCode() {
            return keyName.hashCode() * 31 + version;
        }
    }
}
