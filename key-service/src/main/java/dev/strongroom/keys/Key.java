package dev.strongroom.keys;

import dev.strongroom.common.persistence.ChangeTrackedRow;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.LocalDateTime;

/**
 * A named key-encryption key. Its versions live in one Tink keyset, stored only sealed by the root key
 * ({@link #sealedKeyset}); everything else here is metadata that may be shown to callers.
 */
@Entity
@Table(name = "kms_keys")
public class Key extends ChangeTrackedRow {

    public static final String AES256_GCM = "AES256_GCM";

    @Id
    public String name;

    @Column(nullable = false)
    public String algorithm;

    @Column(name = "primary_version", nullable = false)
    public int primaryVersion;

    @Column(name = "min_decryption_version", nullable = false)
    public int minDecryptionVersion;

    @Column(name = "auto_rotate_period_seconds")
    public Long autoRotatePeriodSeconds;

    /** UTC. */
    @Column(name = "next_rotation_at")
    public LocalDateTime nextRotationAt;

    @Column(name = "sealed_keyset", nullable = false)
    public byte[] sealedKeyset;

    @Column(name = "sealed_by", nullable = false)
    public String sealedBy;

    public Duration autoRotatePeriod() {
        return autoRotatePeriodSeconds == null ? null : Duration.ofSeconds(autoRotatePeriodSeconds);
    }

    @Override
    public String toString() {
        return "Key[" + name + ", primary=" + primaryVersion + ", min=" + minDecryptionVersion + "]";
    }
}
