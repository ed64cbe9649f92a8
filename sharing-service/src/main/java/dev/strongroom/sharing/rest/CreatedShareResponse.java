package dev.strongroom.sharing.rest;

import java.time.Instant;

/** The new share: its link (the only time it is shown) and budget. {@code toString} hides the link. */
public record CreatedShareResponse(String id, String url, Instant expiresAt, int maxViews, int viewsLeft, String secretId, int version,
        boolean passphrase) {
    @Override
    public String toString() {
        return "CreatedShareResponse[" + id + "]";
    }
}
