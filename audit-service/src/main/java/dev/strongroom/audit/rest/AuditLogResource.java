package dev.strongroom.audit.rest;

import dev.strongroom.audit.AuditFilter;
import dev.strongroom.audit.service.AuditQueryService;
import dev.strongroom.audit.service.ForwardingStatusService;
import dev.strongroom.audit.service.IntegrityService;
import dev.strongroom.common.problem.Problems;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** The audit log API: query, chain verification, Splunk forwarding state. Auditors and admins only. */
@Path("/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"auditor", "admin"})
public class AuditLogResource {

    private static final Set<String> OUTCOMES = Set.of("success", "failure", "denied");

    @Inject
    AuditQueryService queries;

    @Inject
    IntegrityService integrity;

    @Inject
    ForwardingStatusService forwarding;

    /** Events newest first; {@code action} with or without the {@code strongroom.} prefix; {@code from} inclusive, {@code to} exclusive. */
    @GET
    @Path("/events")
    public Uni<AuditEventPage> events(@QueryParam("actor") String actor, @QueryParam("action") String action,
            @QueryParam("resourceId") String resourceId, @QueryParam("outcome") String outcome, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > 500) {
            throw Problems.ValidationFailed.of("limit", "must be between 1 and 500");
        }
        if (outcome != null && !OUTCOMES.contains(outcome)) {
            throw Problems.ValidationFailed.of("outcome", "must be success, failure or denied");
        }
        String plainAction = action != null && action.startsWith("strongroom.") ? action.substring("strongroom.".length()) : action;
        AuditFilter filter = new AuditFilter(blankToNull(actor), blankToNull(plainAction),
                blankToNull(resourceId), outcome, time("from", from), time("to", to));
        return queries.events(filter, blankToNull(cursor), size)
                .map(AuditEventPage::of);
    }

    @GET
    @Path("/integrity")
    public Uni<IntegrityReport> integrity() {
        return integrity.verify()
                .map(IntegrityReport::of);
    }

    @GET
    @Path("/forwarding")
    public Uni<ForwardingStatusResponse> forwarding() {
        return forwarding.status()
                .map(ForwardingStatusResponse::of);
    }

    private static LocalDateTime time(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Instant instant = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(value, Instant::from);
            return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw Problems.ValidationFailed.of(field, "must be an RFC 3339 time, e.g. 2026-11-22T10:00:00Z");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
