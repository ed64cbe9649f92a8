package dev.strongroom.secrets.rest;

import java.util.List;

/** A page of a list: {@code {"items": [...], "nextCursor": "..." | null}}. */
public record PageResponse<T>(List<T> items, String nextCursor) {}
