package dev.strongroom.audit.service;

import dev.strongroom.audit.AuditRecord;
import java.util.List;

/** A page of stored audit events, newest first, and the cursor of the next page (null on the last). */
public record EventPage(List<AuditRecord> records, String nextCursor) {}
