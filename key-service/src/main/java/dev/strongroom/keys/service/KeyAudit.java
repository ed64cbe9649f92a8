package dev.strongroom.keys.service;

import dev.strongroom.keys.Key;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The one place key-service records audit events of management operations ({@code key.created},
 * {@code key.rotated}, {@code key.updated}). Called inside the operation's transaction; the events
 * carry the key's name and versions, never key material.
 * INTEGRATION POINT: until common-audit's outbox is wired in here, events are only logged.
 */
@ApplicationScoped
public class KeyAudit {

    private static final Logger LOG = Logger.getLogger(KeyAudit.class);

    public Uni<Void> created(Key key) {
        return record("key.created", key, Map.of("algorithm", key.algorithm, "version", key.primaryVersion));
    }

    /** A key brought back from a backup export is, for the audit trail, created again. */
    public Uni<Void> restored(Key key) {
        return record("key.created", key, Map.of("algorithm", key.algorithm, "version", key.primaryVersion, "restored", true));
    }

    public Uni<Void> rotated(Key key, boolean scheduled) {
        return record("key.rotated", key, Map.of("version", key.primaryVersion, "scheduled", scheduled));
    }

    public Uni<Void> updated(Key key, Map<String, Object> changes) {
        return record("key.updated", key, changes);
    }

    private Uni<Void> record(String action, Key key, Map<String, Object> details) {
        LOG.infof("audit %s key=%s details=%s", action, key.name, details);
        return Uni.createFrom().voidItem();
    }
}
