package dev.strongroom.audit.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.audit.AuditRecord;
import dev.strongroom.audit.service.EventPage;
import dev.strongroom.audit.service.HashChain;
import dev.strongroom.common.audit.AuditJson;
import java.util.List;

/** A page of audit events, newest first: CloudEvents with {@code partition}, {@code sequence} and {@code hash} added. */
public record AuditEventPage(List<ObjectNode> items, String nextCursor) {

    static AuditEventPage of(EventPage page) {
        return new AuditEventPage(page.records().stream().map(AuditEventPage::item).toList(), page.nextCursor());
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
}
