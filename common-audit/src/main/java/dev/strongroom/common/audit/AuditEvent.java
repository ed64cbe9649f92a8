package dev.strongroom.common.audit;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.strongroom.common.id.UuidV7;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One audit event: a CloudEvents 1.0 envelope (structured JSON, see docs/audit.md) around
 * {@link AuditData}. Services build one with {@link #of(String)} and hand the builder to
 * {@link AuditOutbox#record(Builder)}:
 *
 * <pre>{@code
 * return auditOutbox.record(AuditEvent.of("secret.read")
 *         .resource(AuditTarget.of("secret", id, name).inEnvironment(env).atVersion(version))
 *         .success());
 * }</pre>
 *
 * @param specversion     always {@value #SPEC_VERSION}
 * @param id              UUIDv7, unique; consumers deduplicate by it
 * @param source          {@code strongroom/<service>}
 * @param type            {@code strongroom.<action>}
 * @param time            when it happened, millisecond precision, UTC
 * @param subject         {@code <resource type>/<resource id>}; also the Kafka record key
 * @param datacontenttype always {@code application/json}
 * @param data            who did what to which resource, with what outcome
 */
@JsonPropertyOrder({"specversion", "id", "source", "type", "time", "subject", "datacontenttype", "data"})
public record AuditEvent(
        String specversion,
        String id,
        String source,
        String type,
        Instant time,
        String subject,
        String datacontenttype,
        AuditData data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String TYPE_PREFIX = "strongroom.";
    public static final String DATA_CONTENT_TYPE = "application/json";
    /** Content type of a structured-mode CloudEvent (the Kafka {@code content-type} header). */
    public static final String CLOUDEVENTS_JSON = "application/cloudevents+json";

    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");

    /** Starts an event for an action named {@code <object>.<verb>}, e.g. {@code secret.read}. */
    public static Builder of(String action) {
        return new Builder(action);
    }

    /** The action without the {@code strongroom.} prefix. */
    public String action() {
        return data.action();
    }

    /** The Kafka record key: the subject (resource), else the actor, else the id. */
    public String key() {
        if (subject != null) {
            return subject;
        }
        AuditActor actor = data.actor();
        if (actor != null && actor.name() != null) {
            return "actor/" + actor.name();
        }
        return id;
    }

    /** Builds events; everything but the action is optional. Not thread-safe. */
    public static final class Builder {

        private final String action;
        private AuditActor actor;
        private Outcome outcome = Outcome.SUCCESS;
        private String reason;
        private AuditTarget resource;
        private String subject;
        private String requestId;
        private Instant time;
        private final Map<String, Object> details = new LinkedHashMap<>();

        private Builder(String action) {
            if (action == null || !ACTION.matcher(action).matches()) {
                throw new IllegalArgumentException("Audit actions are <object>.<verb> in lower case, e.g. secret.read: " + action);
            }
            this.action = action;
        }

        /** Who acted. Left out, the outbox uses the caller of the current request (or anonymous). */
        public Builder actor(AuditActor newActor) {
            this.actor = newActor;
            return this;
        }

        public Builder resource(AuditTarget newResource) {
            this.resource = newResource;
            return this;
        }

        public Builder resource(String type, String id) {
            return resource(AuditTarget.of(type, id));
        }

        public Builder outcome(Outcome newOutcome) {
            this.outcome = Objects.requireNonNull(newOutcome);
            return this;
        }

        public Builder success() {
            return outcome(Outcome.SUCCESS);
        }

        /** The action was attempted and failed (bad password, CAS conflict, ...). */
        public Builder failure(String why) {
            return outcome(Outcome.FAILURE).reason(why);
        }

        /** Access control refused the action. */
        public Builder denied(String why) {
            return outcome(Outcome.DENIED).reason(why);
        }

        /** A short, secret-free explanation (checked by {@link SensitiveDataGuard#checkText}). */
        public Builder reason(String why) {
            this.reason = SensitiveDataGuard.checkText(why);
            return this;
        }

        /** Overrides the subject, which otherwise is {@code <resource type>/<resource id>}. */
        public Builder subject(String newSubject) {
            this.subject = newSubject;
            return this;
        }

        /** Overrides the request id, which otherwise comes from the current request. */
        public Builder requestId(String newRequestId) {
            this.requestId = newRequestId;
            return this;
        }

        /** Overrides the event time (default: when the event is built). */
        public Builder time(Instant newTime) {
            this.time = newTime;
            return this;
        }

        /** Adds a detail. Keys naming secret material are refused, see {@link SensitiveDataGuard}. */
        public Builder detail(String key, String value) {
            details.put(SensitiveDataGuard.checkKey(key), SensitiveDataGuard.checkText(value));
            return this;
        }

        public Builder detail(String key, long value) {
            details.put(SensitiveDataGuard.checkKey(key), value);
            return this;
        }

        public Builder detail(String key, boolean value) {
            details.put(SensitiveDataGuard.checkKey(key), value);
            return this;
        }

        /** A list detail, e.g. the permissions granted. */
        public Builder detail(String key, Collection<String> values) {
            List<String> checked = new ArrayList<>(values.size());
            for (String value : values) {
                checked.add(SensitiveDataGuard.checkText(value));
            }
            details.put(SensitiveDataGuard.checkKey(key), List.copyOf(checked));
            return this;
        }

        public String action() {
            return action;
        }

        public AuditActor actor() {
            return actor;
        }

        public String requestId() {
            return requestId;
        }

        /** The event with a new UUIDv7 id, as recorded by {@code strongroom/<service>}. */
        public AuditEvent build(String source) {
            return build(source, Clock.systemUTC());
        }

        AuditEvent build(String source, Clock clock) {
            Instant at = (time != null ? time : clock.instant()).truncatedTo(ChronoUnit.MILLIS);
            String eventSubject = subject != null ? subject : resource != null ? resource.subject() : null;
            AuditActor who = actor != null ? actor : AuditActor.anonymous();
            return new AuditEvent(SPEC_VERSION, UuidV7.next().toString(), source, TYPE_PREFIX + action, at,
                    eventSubject, DATA_CONTENT_TYPE,
                    new AuditData(who, action, outcome, reason, resource, requestId, Map.copyOf(details)));
        }
    }
}
