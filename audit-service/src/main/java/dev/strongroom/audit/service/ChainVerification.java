package dev.strongroom.audit.service;

/**
 * The outcome of walking every hash chain.
 *
 * @param ok          every record links to its predecessor and matches its hash
 * @param checked     records verified
 * @param chains      chains (Kafka partitions) walked
 * @param firstBroken the first bad record (lowest partition, then sequence), null when ok
 * @param archived    records archived and dropped by retention (before each chain's checkpoint): not checked, not broken
 */
public record ChainVerification(boolean ok, long checked, int chains, BrokenRecord firstBroken, long archived) {

    public ChainVerification(boolean ok, long checked, int chains, BrokenRecord firstBroken) {
        this(ok, checked, chains, firstBroken, 0);
    }

    /** Where a chain breaks and why. */
    public record BrokenRecord(int partition, long sequence, String eventId, String reason) {}
}
