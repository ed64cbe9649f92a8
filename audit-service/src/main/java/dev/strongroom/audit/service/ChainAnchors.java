package dev.strongroom.audit.service;

import dev.strongroom.audit.config.AuditTrustConfig;
import dev.strongroom.common.audit.EventMac;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import javax.crypto.SecretKey;

/**
 * The MAC of a chain's head: HMAC-SHA256 under {@code strongroom.audit.anchor.key} (kept outside the
 * database) of {@code "strongroom.audit.anchor.v1" || partition || sequence || hash}. Whoever can
 * rewrite {@code audit_record} and recompute every hash still cannot make a matching anchor, and a
 * chain cut short ends before its anchored head (docs/audit.md, "Anchored chain heads").
 */
@Startup // a missing or malformed key fails start-up
@ApplicationScoped
public class ChainAnchors {

    private static final byte[] CONTEXT = "strongroom.audit.anchor.v1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CHECKPOINT = "strongroom.audit.checkpoint.v1".getBytes(StandardCharsets.UTF_8);

    private final ThreadLocal<EventMac> macs;

    @Inject
    ChainAnchors(AuditTrustConfig config) {
        this(EventMac.key(config.anchor().key().filter(key -> !key.isBlank()).orElseThrow(() -> new IllegalStateException(
                "strongroom.audit.anchor.key is not set: audit-service cannot anchor its chains (docs/audit.md, \"Anchored chain heads\")")),
                "strongroom.audit.anchor.key"));
    }

    ChainAnchors(SecretKey key) {
        this.macs = ThreadLocal.withInitial(() -> new EventMac(key));
    }

    /** The MAC of the head {@code (partition, sequence, hash)}. */
    public byte[] mac(int partition, long sequence, byte[] hash) {
        return macs.get().sign(CONTEXT, ByteBuffer.allocate(12).putInt(partition).putLong(sequence).array(), hash);
    }

    /** Whether {@code mac} is the MAC of that head, compared in constant time. */
    public boolean verifies(int partition, long sequence, byte[] hash, byte[] mac) {
        return mac != null && MessageDigest.isEqual(mac(partition, sequence, hash), mac);
    }

    /**
     * The MAC of a retention checkpoint (the last archived and dropped record of a chain), under the
     * same key with its own context, so an old anchor row cannot be passed off as a checkpoint.
     */
    public byte[] checkpointMac(int partition, long sequence, byte[] hash) {
        return macs.get().sign(CHECKPOINT, ByteBuffer.allocate(12).putInt(partition).putLong(sequence).array(), hash);
    }

    /** Whether {@code mac} is the checkpoint MAC of that record, compared in constant time. */
    public boolean checkpointVerifies(int partition, long sequence, byte[] hash, byte[] mac) {
        return mac != null && MessageDigest.isEqual(checkpointMac(partition, sequence, hash), mac);
    }
}
