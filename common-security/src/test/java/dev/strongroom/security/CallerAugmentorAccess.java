package dev.strongroom.security;

import java.util.List;
import java.util.Map;

/** Test access to {@link CallerAugmentor}'s package-private parts. */
public final class CallerAugmentorAccess {
    private CallerAugmentorAccess() {}

    public static Map<String, List<String>> parse(String tenant, List<String> entries) {
        return CallerAugmentor.parse(tenant, entries);
    }
}
