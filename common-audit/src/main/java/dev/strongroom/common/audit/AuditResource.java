package dev.strongroom.common.audit;

/**
 * What the event is about. Names are fine (a secret's name is not its value); values never are.
 *
 * @param type        secret, share, user, session, key, service-account, alert, ...
 * @param id          the resource id
 * @param name        a human name, e.g. {@code db/password}
 * @param environment the secret's environment when there is one
 * @param version     the version acted on, when there is one
 */
public record AuditResource(String type, String id, String name, String environment, Integer version) {

    public static AuditResource of(String type, String id) {
        return new AuditResource(type, id, null, null, null);
    }

    public static AuditResource of(String type, String id, String name) {
        return new AuditResource(type, id, name, null, null);
    }

    public AuditResource withName(String newName) {
        return new AuditResource(type, id, newName, environment, version);
    }

    public AuditResource inEnvironment(String newEnvironment) {
        return new AuditResource(type, id, name, newEnvironment, version);
    }

    public AuditResource atVersion(Integer newVersion) {
        return new AuditResource(type, id, name, environment, newVersion);
    }

    /** The CloudEvent subject and Kafka key: {@code <type>/<id>}. */
    public String subject() {
        return type + "/" + id;
    }
}
