package dev.strongroom.sharing.rest;

import java.time.Instant;

/** A share in a list: never its token or key. */
public record ShareResponse(String id, String secretId, String secretName, String environment, int version, Instant createdAt,
        Instant expiresAt, int maxViews, int viewsLeft, String state, boolean passphrase, Instant endedAt) {}
