package dev.strongroom.secrets.rest;

import java.util.List;
import java.util.Map;

/**
 * Values by name; {@code missing} lists names that are absent or not readable by the caller (the same
 * to the caller), {@code expired} names past their expiresAt, whose values are withheld.
 */
public record BatchGetResponse(Map<String, String> values, Map<String, Integer> versions, List<String> missing, List<String> expired) {

    @Override
    public String toString() {
        return "BatchGetResponse[values=" + values.keySet() + ", missing=" + missing + ", expired=" + expired + "]";
    }
}
