package dev.strongroom.common.audit;

/**
 * What the event is about, its target ({@code data.resource} in the event). Names are fine (a secret's
 * name is not its value); values never are.
 *
 * @param type        secret, share, user, session, key, service-account, alert, ...
 * @param id          the resource id
 * @param name        a human name, e.g. {@code db/password}
 * @param environment the secret's environment when there is one
 * @param version     the version acted on, when there is one
 */
public record AuditTarget(String type, String id, String name, String environment, Integer version) {

    public static AuditTarget of(String type, String id) {
        return new AuditTarget(type, id, null, null, null);
    }

    public static AuditTarget of(String type, String id, String name) {
        return new AuditTarget(type, id, name, null, null);
    }

    public AuditTarget withName(String newName) {
        return new AuditTarget(type, id, newName, environment, version);
    }

    public AuditTarget inEnvironment(String newEnvironment) {
        return new AuditTarget(type, id, name, newEnvironment, version);
    }

    public AuditTarget atVersion(Integer newVersion) {
        return new AuditTarget(type, id, name, environment, newVersion);
    }

    /** The CloudEvent subject and Kafka key: {@code <type>/<id>}. */
    public String subject() {
        return type + "/" + id;
    }
}
