package dev.strongroom.audit.service;

/** Why a record on the topic was kept out of the log (the {@code reason} label of strongroom_audit_events_rejected_total). */
public enum RejectReason {
    /** Not a valid audit event (unparseable, fields missing). */
    MALFORMED("malformed"),
    /** No {@code strongroom-signature} header. */
    UNSIGNED("unsigned"),
    /** Its source names no producer audit-service holds a key for. */
    UNKNOWN_PRODUCER("unknown_producer"),
    /** The signature is not its producer's MAC of the record. */
    FORGED("forged");

    private final String label;

    RejectReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
