package dev.strongroom.audit.service;

/**
 * Splunk HEC forwarding: the forwarder's live state and what the database holds.
 *
 * @param live         the forwarder's state since start (this instance)
 * @param pending      stored events HEC has not accepted yet (all chains)
 * @param deadLettered events parked in the dead-letter table (all time)
 */
public record ForwardingStatus(HecForwarder.Status live, long pending, long deadLettered) {}
