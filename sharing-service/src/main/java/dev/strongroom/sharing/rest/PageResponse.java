package dev.strongroom.sharing.rest;

import java.util.List;

/** A page of a list: {@code {items, nextCursor}}. */
public record PageResponse<T>(List<T> items, String nextCursor) {}
