package dev.strongroom.keys.rest;

import java.util.List;

/** A page of keys; {@code nextCursor} fetches the next page, null on the last. */
public record KeyListResponse(List<KeyResponse> items, String nextCursor) {}
