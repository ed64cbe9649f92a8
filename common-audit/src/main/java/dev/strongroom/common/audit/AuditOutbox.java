package dev.strongroom.common.audit;

import dev.strongroom.common.id.UuidV7;
import dev.strongroom.security.Caller;
import dev.strongroom.security.CurrentCaller;
import io.quarkus.arc.Arc;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Records audit events in the caller's database transaction (the transactional outbox). The
 * {@link OutboxRelay} publishes them to Kafka once that transaction has committed; if it rolls
 * back, the event never existed. A failed insert fails the caller's transaction, so no change
 * happens without its audit event.
 *
 * <pre>{@code
 * @WithTransaction
 * public Uni<SecretValue> reveal(UUID id) {
 *     return secrets.findReadable(id)
 *             .chain(secret -> auditOutbox.record(AuditEvent.of("secret.read")
 *                             .resource(AuditTarget.of("secret", id.toString(), secret.name)
 *                                     .inEnvironment(secret.environment)
 *                                     .atVersion(secret.version)))
 *                     .replaceWith(secret.value()));
 * }
 * }</pre>
 *
 * Without an explicit actor the event names the caller of the current request (from its verified
 * token), or this service when there is no request (scheduled work). Client address, user agent
 * and request id come from the current request when the event does not set them.
 */
@ApplicationScoped
public class AuditOutbox {

    static final String INSERT = "INSERT INTO audit_outbox (id, record_key, event, created_at, attempts, next_attempt_at)"
            + " VALUES (:id, :recordKey, :event, :createdAt, 0, :createdAt)";

    private final AuditConfig config;
    private final String applicationName;
    private final Instance<CurrentIdentityAssociation> identities;
    private final Instance<OutboxGroupCommit> groupCommit;

    @Inject
    AuditOutbox(AuditConfig config, @ConfigProperty(name = "quarkus.application.name") String applicationName,
            Instance<CurrentIdentityAssociation> identities, Instance<OutboxGroupCommit> groupCommit) {
        this.config = config;
        this.applicationName = applicationName;
        this.identities = identities;
        this.groupCommit = groupCommit;
    }

    /**
     * Stores the event in the current transaction (or a new one when there is none).
     * Completes with the stored event; fails, failing the transaction, when it cannot be stored.
     */
    public Uni<AuditEvent> record(AuditEvent.Builder event) {
        RequestOrigin origin = currentOrigin();
        return actorFor(event, origin)
                .map(actor -> complete(event, actor, origin))
                .chain(this::insert);
    }

    /**
     * Stores the event by itself, outside any transaction of the caller, grouped with other callers' events
     * ({@link OutboxGroupCommit}): for an action that changes nothing but must not happen unaudited (a reveal).
     * Completes once the event is committed; fails when it cannot be stored. The caller acts only after
     * completion; unlike {@link #record(AuditEvent.Builder)}, nothing of the caller's rolls back with it.
     */
    public Uni<AuditEvent> recordCommitted(AuditEvent.Builder event) {
        RequestOrigin origin = currentOrigin();
        return actorFor(event, origin)
                .map(actor -> complete(event, actor, origin))
                .chain(built -> groupCommit.get().store(built));
    }

    /** Stores an already built event (for relaying events made elsewhere, e.g. alerts). */
    public Uni<AuditEvent> record(AuditEvent event) {
        return insert(event);
    }

    /** The actor events of the current request name when they do not name one. */
    public Uni<AuditActor> currentActor() {
        return actorFor(null, currentOrigin());
    }

    private AuditEvent complete(AuditEvent.Builder event, AuditActor actor, RequestOrigin origin) {
        if (origin != null) {
            event.actor(actor.from(origin.ip(), origin.userAgent()));
            if (event.requestId() == null) {
                event.requestId(origin.requestId());
            }
        } else {
            event.actor(actor);
        }
        return event.build(config.source());
    }

    private Uni<AuditEvent> insert(AuditEvent event) {
        String json = AuditJson.write(event);
        LocalDateTime now = LocalDateTime.ofInstant(event.time(), ZoneOffset.UTC);
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(INSERT)
                        .setParameter("id", UuidV7.toBytes(UUID.fromString(event.id())))
                        .setParameter("recordKey", truncateKey(event.key()))
                        .setParameter("event", json)
                        .setParameter("createdAt", now)
                        .executeUpdate()))
                .replaceWith(event);
    }

    private Uni<AuditActor> actorFor(AuditEvent.Builder event, RequestOrigin origin) {
        if (event != null && event.actor() != null) {
            return Uni.createFrom().item(event.actor());
        }
        if (origin == null || identities.isUnsatisfied()) {
            return Uni.createFrom().item(origin == null ? self() : AuditActor.anonymous());
        }
        return identities.get().getDeferredIdentity()
                .map(AuditOutbox::actorOf)
                .onFailure().recoverWithItem(AuditActor.anonymous());
    }

    /** This service acting on its own (scheduled rotation, alert rules). */
    private AuditActor self() {
        return AuditActor.service(config.source(), applicationName);
    }

    static AuditActor actorOf(SecurityIdentity identity) {
        Caller caller = CurrentCaller.of(identity);
        if (caller == null) {
            return AuditActor.anonymous();
        }
        ActorType actorType = switch (caller.type()) {
            case SERVICE -> ActorType.SERVICE;
            case WORKLOAD -> ActorType.WORKLOAD;
            case USER -> ActorType.USER;
        };
        return new AuditActor(caller.id(), caller.name(), actorType, null, null);
    }

    /** The origin of the current HTTP request, or null outside one. */
    private static RequestOrigin currentOrigin() {
        if (!Arc.container().requestContext().isActive()) {
            return null;
        }
        RequestOrigin origin = Arc.container().instance(RequestOrigin.class).get();
        return origin.captured() ? origin : null;
    }

    private static String truncateKey(String key) {
        return key.length() <= 255 ? key : key.substring(0, 255);
    }
}
