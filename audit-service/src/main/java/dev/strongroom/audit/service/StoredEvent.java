package dev.strongroom.audit.service;

import java.time.Instant;
import java.util.UUID;

/** An event appended to its chain in the current batch; {@code environment} is data.resource.environment, or null. */
public record StoredEvent(int partition, long sequence, UUID eventId, Instant time, String action, String actor,
        String resourceId, String outcome, String environment, String canonical, byte[] prevHash, byte[] hash, long offset) {}
