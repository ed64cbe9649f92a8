package dev.strongroom.keys.service;

import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.audit.AuditOutbox;
import dev.strongroom.common.audit.AuditTarget;
import dev.strongroom.common.problem.Problems;
import dev.strongroom.keys.config.KeysConfig;
import dev.strongroom.security.Caller;
import dev.strongroom.security.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Who may use which key for encrypt, decrypt, rewrap and datakey: a caller with the {@code kms} role and a
 * grant for that key in {@code strongroom.keys.grants} (principal, e.g. {@code service:secrets-service},
 * to key names). Nobody else, admins included: managing keys does not open what they protect. A refusal
 * is audited ({@code key.access_denied}) and answered 403 whether or not the key exists.
 */
@ApplicationScoped
public class KeyAccess {

    static final String KMS_ROLE = "kms";
    static final String ACCESS_DENIED = "key.access_denied";

    private final KeysConfig config;
    private final CurrentCaller callers;
    private final AuditOutbox outbox;

    @Inject
    public KeyAccess(KeysConfig config, CurrentCaller callers, AuditOutbox outbox) {
        this.config = config;
        this.callers = callers;
        this.outbox = outbox;
    }

    /** Completes when the current caller may run {@code operation} with key {@code name}; else audits and fails 403. */
    public Uni<Void> check(String name, String operation) {
        Caller caller = callers.get();
        if (caller != null && caller.hasRole(KMS_ROLE) && granted(caller.principal(), name)) {
            return Uni.createFrom().voidItem();
        }
        String why = caller != null && caller.hasRole(KMS_ROLE) ? "key not granted to the caller" : "missing kms role";
        return outbox.record(AuditEvent.of(ACCESS_DENIED)
                        .resource(AuditTarget.of("key", name, name))
                        .denied(why)
                        .detail("operation", operation))
                .chain(() -> Uni.createFrom().failure(new Problems.Forbidden(
                        (caller == null ? "This caller" : caller.principal()) + " may not use key " + name + " for " + operation + ".")));
    }

    boolean granted(String principal, String name) {
        List<String> keys = config.grants().get(principal);
        if (keys == null) {
            return false;
        }
        for (String granted : keys) {
            String pattern = granted.strip();
            if (pattern.equals(name) || pattern.endsWith("*") && name.startsWith(pattern.substring(0, pattern.length() - 1))) {
                return true;
            }
        }
        return false;
    }
}
