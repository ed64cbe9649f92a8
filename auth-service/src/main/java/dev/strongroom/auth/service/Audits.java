package dev.strongroom.auth.service;

import dev.strongroom.auth.User;
import dev.strongroom.common.audit.ActorType;
import dev.strongroom.common.audit.AuditActor;
import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.audit.AuditTarget;

/** Shapes of auth-service's audit events. */
final class Audits {

    private Audits() {}

    static AuditActor actor(User user) {
        return AuditActor.user(user.id, user.username);
    }

    /** Someone who named an account that does not exist. */
    /** The user name a failed login claimed, through the sensitive-data guard (a password typed there stays out). */
    static AuditActor claimed(String username) {
        return new AuditActor(null, dev.strongroom.common.audit.SensitiveDataGuard.claimedName(username), ActorType.USER, null, null);
    }

    static AuditTarget resource(User user) {
        return AuditTarget.of("user", user.id, user.username);
    }

    static AuditEvent.Builder about(String action, User user) {
        return AuditEvent.of(action).actor(actor(user)).resource(resource(user));
    }
}
