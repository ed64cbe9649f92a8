package dev.strongroom.keys.service;

import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.audit.AuditOutbox;
import dev.strongroom.common.audit.AuditTarget;
import dev.strongroom.keys.Key;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * The audit events of key management ({@code key.created}, {@code key.rotated}, {@code key.updated}),
 * recorded through common-audit's transactional outbox inside the operation's transaction: if the
 * event cannot be stored, the operation fails. Events name the key and its versions, never key material.
 * Cryptographic operations (encrypt, decrypt, …) are not audited here; the callers audit the reads they serve.
 */
@ApplicationScoped
public class KeyAudit {

    private final AuditOutbox outbox;

    @Inject
    public KeyAudit(AuditOutbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> created(Key key) {
        return outbox.record(event("key.created", key)
                        .detail("algorithm", key.algorithm))
                .replaceWithVoid();
    }

    /** A key brought back from a backup export is, for the audit trail, created again. */
    public Uni<Void> restored(Key key) {
        return outbox.record(event("key.created", key)
                        .detail("algorithm", key.algorithm)
                        .detail("restored", true))
                .replaceWithVoid();
    }

    /** {@code scheduled}: by the rotation scheduler (the actor is then key-service itself). */
    public Uni<Void> rotated(Key key, boolean scheduled) {
        return outbox.record(event("key.rotated", key)
                        .detail("scheduled", scheduled))
                .replaceWithVoid();
    }

    /** {@code changes}: the policy fields set, e.g. minDecryptionVersion=2, autoRotatePeriod=P30D or off. */
    public Uni<Void> updated(Key key, Map<String, Object> changes) {
        AuditEvent.Builder event = event("key.updated", key);
        changes.forEach((field, value) -> {
            if (value instanceof Number number) {
                event.detail(field, number.longValue());
            } else {
                event.detail(field, String.valueOf(value));
            }
        });
        return outbox.record(event)
                .replaceWithVoid();
    }

    private static AuditEvent.Builder event(String action, Key key) {
        return AuditEvent.of(action)
                .resource(AuditTarget.of("key", key.name, key.name).atVersion(key.primaryVersion));
    }
}
