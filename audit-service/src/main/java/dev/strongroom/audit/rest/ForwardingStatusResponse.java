package dev.strongroom.audit.rest;

import dev.strongroom.audit.service.ForwardingStatus;
import dev.strongroom.audit.service.HecForwarder;
import java.time.Instant;

/**
 * Splunk HEC forwarding as {@code GET /v1/audit/forwarding} reports it.
 *
 * @param enabled       a HEC URL is configured
 * @param url           scheme, host and port of HEC (never the token)
 * @param ackEnabled    indexer acknowledgement is on
 * @param state         disabled, idle, forwarding, retrying (HEC unavailable) or blocked (HEC refuses token/index)
 * @param lastSuccessAt when HEC last accepted a batch (since start)
 * @param lastAttemptAt when a batch was last sent
 * @param lastError     the last failure, null after a success
 * @param pending       stored events HEC has not accepted yet (all chains)
 * @param forwarded     events accepted since start (this instance)
 * @param failures      failed attempts since start (this instance)
 * @param deadLettered  events parked in the dead-letter table (all time)
 */
public record ForwardingStatusResponse(boolean enabled, String url, boolean ackEnabled, String state, Instant lastSuccessAt,
        Instant lastAttemptAt, String lastError, long pending, long forwarded, long failures, long deadLettered) {

    static ForwardingStatusResponse of(ForwardingStatus status) {
        HecForwarder.Status live = status.live();
        return new ForwardingStatusResponse(live.enabled(), live.url(), live.ackEnabled(), live.state(), live.lastSuccessAt(),
                live.lastAttemptAt(), live.lastError(), status.pending(), live.forwarded(), live.failures(), status.deadLettered());
    }
}
