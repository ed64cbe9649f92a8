package dev.strongroom.audit.service;

/** One record of strongroom.audit.v1 as the log writer sees it. */
public record IncomingRecord(int partition, long offset, String value) {}
