package dev.strongroom.secrets.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/secrets/report}: counts of live secrets by environment and type, secrets expiring
 * soon, expired, and with overdue rotations (lists cut at the configured limit; counts complete).
 */
public record ReportResponse(
        Instant generatedAt,
        long total,
        Map<String, Long> byEnvironment,
        Map<String, Long> byType,
        int expiringWithinDays,
        long expiringSoonCount,
        List<Item> expiringSoon,
        long expiredCount,
        List<Item> expired,
        long rotationOverdueCount,
        List<Item> rotationOverdue) {

    /** One secret in a report section. */
    public record Item(String id, String name, String environment, String type, Instant expiresAt, Instant nextRotationAt) {}
}
