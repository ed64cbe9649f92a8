package dev.strongroom.security.revocation;

/**
 * One message of the revocation topic: record key = {@code sid}, value = this record as JSON
 * ({@code {"sid":"…","revokedAt":1732300000000,"expiresAt":1732301000000,"reason":"logout"}}, epoch milliseconds).
 * A service rejects every token carrying {@code sid} until {@code expiresAt}, after which no token of
 * the session can still be valid anyway.
 *
 * @param sid       the revoked session id (the access token's {@code sid} claim)
 * @param revokedAt when it was revoked, epoch milliseconds
 * @param expiresAt until when tokens of the session must be refused, epoch milliseconds
 * @param reason    a short code: logout, admin, reuse_detected, password_changed, disabled, deleted, ...
 */
public record SessionRevocation(String sid, long revokedAt, long expiresAt, String reason) {

    /** The compacted topic revocations travel on. */
    public static final String TOPIC = "strongroom.sessions.revoked.v1";
}
