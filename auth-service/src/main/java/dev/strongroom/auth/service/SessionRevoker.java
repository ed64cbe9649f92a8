package dev.strongroom.auth.service;

import dev.strongroom.auth.Revocation;
import dev.strongroom.auth.Session;
import dev.strongroom.auth.messaging.RevocationRelay;
import dev.strongroom.auth.repository.SessionRepository;
import dev.strongroom.security.revocation.RevokedSessions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;

/**
 * Revokes sessions inside the caller's transaction (the row is the durable record the relay publishes),
 * and, once that transaction committed, refuses them locally at once and wakes the relay.
 */
@ApplicationScoped
public class SessionRevoker {

    @Inject
    SessionRepository sessions;
    @Inject
    RevokedSessions revokedSessions;
    @Inject
    RevocationRelay relay;

    /** Marks the session revoked (no-op when it already is); returns its sid. */
    public String revoke(Session session, String reason) {
        if (session.revokedAt == null) {
            session.revokedAt = Times.now();
            session.revokeReason = reason;
            session.revocationPublished = false;
        }
        return session.id;
    }

    /** Revokes every live session of the user; returns their sids. */
    public Uni<List<String>> revokeAllOfUser(String userId, String reason) {
        return sessions.findActiveOfUser(userId)
                .map(active -> active.stream().map(s -> revoke(s, reason)).toList());
    }

    /** Revokes a sid that has no session row (service account, Kubernetes role). */
    public Uni<String> revokeSid(String sid, String reason) {
        Revocation revocation = new Revocation();
        revocation.sid = sid;
        revocation.reason = reason;
        revocation.revokedAt = LocalDateTime.now(java.time.ZoneOffset.UTC);
        revocation.published = false;
        return Revocation.<Revocation>findById(sid)
                .chain(existing -> existing == null ? revocation.persist() : Uni.createFrom().item(existing))
                .replaceWith(sid);
    }

    /** Call after the revoking transaction committed. */
    public void committed(Collection<String> sids) {
        if (sids == null || sids.isEmpty()) {
            return;
        }
        long until = relay.refuseUntil(System.currentTimeMillis());
        sids.forEach(sid -> revokedSessions.revoke(sid, until));
        relay.kick();
    }
}
