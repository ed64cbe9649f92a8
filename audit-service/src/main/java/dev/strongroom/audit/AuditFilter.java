package dev.strongroom.audit;

import java.time.LocalDateTime;

/**
 * Which audit events to list ({@code GET /v1/audit/events}); null means "any". {@code action} without the
 * {@code strongroom.} prefix; times are UTC, {@code from} inclusive, {@code to} exclusive.
 */
public record AuditFilter(String actor, String action, String resourceId, String outcome, LocalDateTime from, LocalDateTime to) {}
