package dev.strongroom.audit.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.strongroom.audit.service.ChainVerification;

/**
 * Result of walking every chain.
 *
 * @param ok          every record links to its predecessor and matches its hash
 * @param checked     records verified
 * @param chains      chains (Kafka partitions) walked
 * @param firstBroken the first bad record (lowest partition, then sequence), absent when ok
 * @param archived    records archived and dropped by retention, before each chain's checkpoint (not checked, not broken)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IntegrityReport(boolean ok, long checked, int chains, BrokenRecord firstBroken, long archived) {

    /** Where a chain breaks and why. */
    public record BrokenRecord(int partition, long sequence, String eventId, String reason) {}

    static IntegrityReport of(ChainVerification verification) {
        ChainVerification.BrokenRecord broken = verification.firstBroken();
        return new IntegrityReport(verification.ok(), verification.checked(), verification.chains(), broken == null ? null
                : new BrokenRecord(broken.partition(), broken.sequence(), broken.eventId(), broken.reason()), verification.archived());
    }
}
