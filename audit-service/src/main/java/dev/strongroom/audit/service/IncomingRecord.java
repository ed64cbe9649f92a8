package dev.strongroom.audit.service;

/**
 * One record of strongroom.audit.v1 as the log writer sees it.
 *
 * @param signature the {@code strongroom-signature} header (HMAC-SHA256 of the value), null when absent
 */
public record IncomingRecord(int partition, long offset, String value, byte[] signature) {}
