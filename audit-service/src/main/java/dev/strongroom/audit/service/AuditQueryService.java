package dev.strongroom.audit.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.audit.AuditRecord;
import dev.strongroom.audit.repository.AuditRecordRepository;
import dev.strongroom.audit.rest.AuditEventPage;
import dev.strongroom.common.audit.AuditJson;
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
    public Uni<AuditEventPage> events(AuditRecordRepository.Filter filter, String cursor, int limit) {
        AuditRecordRepository.Position after = cursor == null ? null : decodeCursor(cursor);
        return records.findNewestFirst(filter, after, limit + 1)
                .map(found -> page(found, limit));
    }

    private static AuditEventPage page(List<AuditRecord> found, int limit) {
        List<AuditRecord> items = found.size() > limit ? found.subList(0, limit) : found;
        String next = found.size() > limit ? encodeCursor(items.getLast()) : null;
        return new AuditEventPage(items.stream().map(AuditQueryService::item).toList(), next);
    }

    /** The stored CloudEvent with its place in the chain added. */
    static ObjectNode item(AuditRecord record) {
        try {
            ObjectNode event = (ObjectNode) AuditJson.mapper().readTree(record.event);
            event.put("partition", record.chainPartition);
            event.put("sequence", record.sequence);
            event.put("hash", HashChain.hex(record.hash));
            return event;
        } catch (JsonProcessingException e) {
            // Stored events were parsed on the way in; integrity reports tampering like this.
            ObjectNode broken = AuditJson.mapper().createObjectNode();
            broken.put("partition", record.chainPartition);
            broken.put("sequence", record.sequence);
            broken.put("hash", HashChain.hex(record.hash));
            broken.put("unreadable", true);
            return broken;
        }
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
