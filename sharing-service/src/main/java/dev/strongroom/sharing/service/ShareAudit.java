package dev.strongroom.sharing.service;

import dev.strongroom.common.persistence.Deadlocks;
import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.audit.AuditOutbox;
import dev.strongroom.common.audit.AuditTarget;
import dev.strongroom.common.problem.MessagelessFailure;
import dev.strongroom.sharing.Share;
import dev.strongroom.sharing.ShareProblems;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * The audit events of sharing-service, stored in the transaction of the change they describe (the outbox), so a
 * share never changes unaudited. Resource: {@code share/<id>} named after the secret, in its environment and
 * version. Events never carry the token, key, passphrase or value. Opens by recipients name an anonymous actor
 * with the client's address and user agent.
 */
@ApplicationScoped
public class ShareAudit {

    private static final Logger LOG = Logger.getLogger(ShareAudit.class);

    public static final String CREATED = "share.created";
    public static final String OPENED = "share.opened";
    public static final String OPEN_REFUSED = "share.open_refused";
    public static final String REVOKED = "share.revoked";
    public static final String BURNT = "share.burnt";
    public static final String EXPIRED = "share.expired";

    @Inject
    AuditOutbox outbox;

    public Uni<Void> success(String action, Share share, UnaryOperator<AuditEvent.Builder> details) {
        return record(details.apply(AuditEvent.of(action)
                .resource(resource(share))
                .success()
                .detail("secretId", share.secretId.toString())));
    }

    /** A refused open of a known share; {@code reason} is a short code (used_up, expired, wrong_passphrase, ...). */
    public Uni<Void> refused(Share share, String reason, UnaryOperator<AuditEvent.Builder> details) {
        return record(details.apply(AuditEvent.of(OPEN_REFUSED)
                .resource(resource(share))
                .denied(reason)
                .detail("secretId", share.secretId.toString())));
    }

    private Uni<Void> record(AuditEvent.Builder event) {
        return outbox.record(event)
                // a deadlock's victim stays one: the transaction it is part of runs again (Deadlocks.retried)
                .onFailure(failure -> !Deadlocks.isDeadlock(failure)).transform(failure -> {
                    LOG.warnf("Audit event %s could not be stored, the request is refused: %s", event.action(), MessagelessFailure.kinds(failure));
                    return new ShareProblems.AuditUnavailable();
                })
                .replaceWithVoid();
    }

    static AuditTarget resource(Share share) {
        return AuditTarget.of("share", share.id.toString(), share.secretName)
                .inEnvironment(share.environment)
                .atVersion(share.secretVersion);
    }
}
