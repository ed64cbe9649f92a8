package dev.strongroom.audit.service;

import dev.strongroom.audit.AuditFilter;
import dev.strongroom.audit.AuditRecord;
import dev.strongroom.audit.repository.AuditRecordRepository;
import dev.strongroom.common.problem.Problems;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

/** Reads the audit log for {@code GET /v1/audit/events}. */
@ApplicationScoped
public class AuditQueryService {

    @Inject
    AuditRecordRepository records;

    @WithSession
    public Uni<EventPage> events(AuditFilter filter, String cursor, int limit) {
        AuditRecordRepository.Position after = cursor == null ? null : decodeCursor(cursor);
        return records.findNewestFirst(filter, after, limit + 1)
                .map(found -> page(found, limit));
    }

    private static EventPage page(List<AuditRecord> found, int limit) {
        List<AuditRecord> items = found.size() > limit ? found.subList(0, limit) : found;
        String next = found.size() > limit ? encodeCursor(items.getLast()) : null;
        return new EventPage(items, next);
    }

    static String encodeCursor(AuditRecord last) {
        String position = last.eventTime.toInstant(ZoneOffset.UTC).toEpochMilli() + "." + last.id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.US_ASCII));
    }

    static AuditRecordRepository.Position decodeCursor(String cursor) {
        try {
            String position = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            int dot = position.indexOf('.');
            long millis = Long.parseLong(position.substring(0, dot));
            long id = Long.parseLong(position.substring(dot + 1));
            return new AuditRecordRepository.Position(LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC), id);
        } catch (RuntimeException e) {
            throw Problems.ValidationFailed.of("cursor", "is not a cursor this API returned");
        }
    }
}
