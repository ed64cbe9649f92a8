package dev.strongroom.common.audit;

/**
 * Who acted, and from where. {@code ip} and {@code userAgent} are filled from the current HTTP
 * request when the outbox records an event whose actor lacks them.
 *
 * @param id        stable principal id (JWT {@code sub}), null when unknown (e.g. a failed login)
 * @param name      user name, service-account name or {@code <namespace>/<serviceaccount>}
 * @param type      user, service, workload or anonymous
 * @param ip        the client address (X-Forwarded-For honoured only from trusted proxies)
 * @param userAgent the client's User-Agent, cut to 256 characters
 */
public record AuditActor(String id, String name, ActorType type, String ip, String userAgent) {

    static final int MAX_USER_AGENT = 256;

    public static AuditActor user(String id, String name) {
        return new AuditActor(id, name, ActorType.USER, null, null);
    }

    public static AuditActor service(String id, String name) {
        return new AuditActor(id, name, ActorType.SERVICE, null, null);
    }

    public static AuditActor workload(String id, String name) {
        return new AuditActor(id, name, ActorType.WORKLOAD, null, null);
    }

    /** A caller without a verified identity, e.g. someone opening a share link. */
    public static AuditActor anonymous() {
        return new AuditActor(null, null, ActorType.ANONYMOUS, null, null);
    }

    /** This actor seen from the given address and user agent (the ones it already has win). */
    public AuditActor from(String clientIp, String clientUserAgent) {
        return new AuditActor(id, name, type, ip != null ? ip : clientIp,
                truncate(userAgent != null ? userAgent : clientUserAgent));
    }

    private static String truncate(String value) {
        return value == null || value.length() <= MAX_USER_AGENT ? value : value.substring(0, MAX_USER_AGENT);
    }
}
