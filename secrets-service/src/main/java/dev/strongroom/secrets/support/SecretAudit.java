package dev.strongroom.secrets.support;

import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.audit.AuditOutbox;
import dev.strongroom.common.audit.AuditTarget;
import dev.strongroom.common.problem.MessagelessFailure;
import dev.strongroom.secrets.Permission;
import dev.strongroom.secrets.Secret;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * The audit events of secrets-service, recorded in the caller's transaction through the outbox. An
 * event that cannot be stored fails the transaction with {@link SecretProblems.AuditUnavailable}, so
 * neither the change nor the reveal happens. Events name secrets, never values.
 */
@ApplicationScoped
public class SecretAudit {

    private static final Logger LOG = Logger.getLogger(SecretAudit.class);

    public static final String CREATED = "secret.created";
    public static final String READ = "secret.read";
    public static final String UPDATED = "secret.updated";
    public static final String METADATA_UPDATED = "secret.metadata_updated";
    public static final String DELETED = "secret.deleted";
    public static final String RESTORED = "secret.restored";
    public static final String VERSION_DESTROYED = "secret.version_destroyed";
    public static final String ROTATED = "secret.rotated";
    public static final String ROLLED_BACK = "secret.rolled_back";
    public static final String ACCESS_CHANGED = "secret.access_changed";
    public static final String ACCESS_DENIED = "secret.access_denied";
    /** One summary event per rewrap run (resource: the KEK), never one per version. */
    public static final String REWRAPPED = "secret.rewrapped";

    @Inject
    AuditOutbox outbox;
    @Inject
    OutboxGroupCommit groupCommit;

    /** A successful action on the secret, at a version (or none), with extra details. */
    public Uni<Void> success(String action, Secret secret, Integer version, UnaryOperator<AuditEvent.Builder> details) {
        return record(details.apply(AuditEvent.of(action)
                .resource(resource(secret, version))
                .success()));
    }

    public Uni<Void> success(String action, Secret secret, Integer version) {
        return success(action, secret, version, UnaryOperator.identity());
    }

    /**
     * A reveal's {@code secret.read}, committed by itself with other reveals' events (group commit): completes
     * only once the event is durable, fails with {@link SecretProblems.AuditUnavailable} when it is not.
     */
    public Uni<Void> revealed(Secret secret, Integer version, UnaryOperator<AuditEvent.Builder> details) {
        AuditEvent.Builder event = details.apply(AuditEvent.of(READ)
                .resource(resource(secret, version))
                .success());
        return outbox.prepare(event)
                .chain(groupCommit::store)
                .onFailure().transform(failure -> {
                    LOG.warnf("Audit event %s could not be stored, the value is not revealed: %s", event.action(), MessagelessFailure.kinds(failure));
                    return new SecretProblems.AuditUnavailable();
                })
                .replaceWithVoid();
    }

    /** An attempt that failed for a reason the caller caused or the state forbids (expired, destroyed). */
    public Uni<Void> failure(String action, Secret secret, Integer version, String reason) {
        return record(AuditEvent.of(action)
                .resource(resource(secret, version))
                .failure(reason));
    }

    /** Access control refused {@code operation}; {@code answered} is the status the caller saw (403 or 404). */
    public Uni<Void> denied(Secret secret, String operation, Permission required, int answered) {
        return record(AuditEvent.of(ACCESS_DENIED)
                .resource(resource(secret, null))
                .denied("missing " + required.name() + " permission")
                .detail("operation", operation)
                .detail("requiredPermission", required.name())
                .detail("answeredStatus", answered));
    }

    /** A create refused: the environment is protected, or the name is held by a secret the caller cannot see. */
    public Uni<Void> createDenied(String environment, String name, String reason) {
        return record(AuditEvent.of(ACCESS_DENIED)
                .resource(AuditTarget.of("environment", environment, name).inEnvironment(environment))
                .denied(reason)
                .detail("operation", "create")
                .detail("answeredStatus", 403));
    }

    /**
     * A rewrap run over the data keys {@code kekName} wraps: its counts as details; a failure when some versions
     * were not rewrapped. Its own transaction (the run commits version by version).
     */
    public Uni<Void> rewrapped(String kekName, int kekVersion, long checked, long rewrapped, long alreadyCurrent,
            long skipped, long failed, long behind) {
        AuditEvent.Builder event = AuditEvent.of(REWRAPPED)
                .resource(AuditTarget.of("key", kekName, kekName).atVersion(kekVersion > 0 ? kekVersion : null));
        event = failed == 0 && behind == 0 ? event.success() : event.failure("some versions are still wrapped by an older key version");
        return record(event
                .detail("checked", checked)
                .detail("rewrapped", rewrapped)
                .detail("alreadyCurrent", alreadyCurrent)
                .detail("skipped", skipped)
                .detail("failed", failed)
                .detail("behind", behind));
    }

    private Uni<Void> record(AuditEvent.Builder event) {
        return outbox.record(event)
                .onFailure().transform(failure -> {
                    LOG.warnf("Audit event %s could not be stored, the request is refused: %s", event.action(), MessagelessFailure.kinds(failure));
                    return new SecretProblems.AuditUnavailable();
                })
                .replaceWithVoid();
    }

    public static AuditTarget resource(Secret secret, Integer version) {
        return AuditTarget.of("secret", secret.id.toString(), secret.name)
                .inEnvironment(secret.environment)
                .atVersion(version);
    }
}
