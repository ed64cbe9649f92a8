package dev.strongroom.audit.repository;

import dev.strongroom.audit.AuditFilter;
import dev.strongroom.audit.AuditRecord;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Queries over the audit log, newest first (event time, then storage order). */
@ApplicationScoped
public class AuditRecordRepository implements PanacheRepositoryBase<AuditRecord, Long> {

    /** Where the previous page ended. */
    public record Position(LocalDateTime time, long id) {}

    public Uni<List<AuditRecord>> findNewestFirst(AuditFilter filter, Position after, int limit) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (filter.actor() != null) {
            where.add("actor = :actor");
            params.put("actor", filter.actor());
        }
        if (filter.action() != null) {
            where.add("action = :action");
            params.put("action", filter.action());
        }
        if (filter.resourceId() != null) {
            where.add("resourceId = :resourceId");
            params.put("resourceId", filter.resourceId());
        }
        if (filter.outcome() != null) {
            where.add("outcome = :outcome");
            params.put("outcome", filter.outcome());
        }
        if (filter.from() != null) {
            where.add("eventTime >= :from");
            params.put("from", filter.from());
        }
        if (filter.to() != null) {
            where.add("eventTime < :to");
            params.put("to", filter.to());
        }
        if (after != null) {
            where.add("(eventTime < :afterTime or (eventTime = :afterTime and id < :afterId))");
            params.put("afterTime", after.time());
            params.put("afterId", after.id());
        }
        String query = (where.isEmpty() ? "" : "where " + String.join(" and ", where)) + " order by eventTime desc, id desc";
        return find(query, params).range(0, limit - 1).list();
    }
}
