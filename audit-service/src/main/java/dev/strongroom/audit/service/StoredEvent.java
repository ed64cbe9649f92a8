package dev.strongroom.audit.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/** An event appended to its chain in the current batch. */
public record StoredEvent(int partition, long sequence, UUID eventId, Instant time, String action, String actor,
        String resourceId, String outcome, JsonNode event, String canonical, byte[] prevHash, byte[] hash, long offset) {

    /** {@code data.resource.environment}, or null. */
    public String environment() {
        JsonNode environment = event.path("data").path("resource").path("environment");
        return environment.isTextual() ? environment.textValue() : null;
    }
}
