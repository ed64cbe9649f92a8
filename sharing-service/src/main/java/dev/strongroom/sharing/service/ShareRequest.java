package dev.strongroom.sharing.service;

import java.util.UUID;

/**
 * A validated request for a new share. {@code toString} hides the passphrase.
 *
 * @param secretId   the secret
 * @param version    its version, or null for the current one
 * @param ttlSeconds lifetime
 * @param maxViews   view budget
 * @param passphrase optional passphrase (null: none)
 * @param notifyEmail where the creator hears about opens and burns (null: nowhere)
 */
public record ShareRequest(UUID secretId, Integer version, long ttlSeconds, int maxViews, String passphrase, String notifyEmail) {
    @Override
    public String toString() {
        return "ShareRequest[" + secretId + " v" + version + ", ttl=" + ttlSeconds + "s, maxViews=" + maxViews
                + ", passphrase=" + (passphrase == null ? "none" : "********") + "]";
    }
}
