package dev.strongroom.audit.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** A page of audit events, newest first: CloudEvents with {@code partition}, {@code sequence} and {@code hash} added. */
public record AuditEventPage(List<ObjectNode> items, String nextCursor) {}
