package dev.strongroom.common.audit;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/** The CloudEvent {@code data} of an audit event (see docs/audit.md for every field). */
@JsonPropertyOrder({"actor", "action", "outcome", "reason", "resource", "requestId", "details"})
public record AuditData(
        AuditActor actor,
        String action,
        Outcome outcome,
        String reason,
        AuditTarget resource,
        String requestId,
        Map<String, Object> details) {

    public AuditData {
        details = details == null ? Map.of() : details;
    }
}
