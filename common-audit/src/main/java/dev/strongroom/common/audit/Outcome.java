package dev.strongroom.common.audit;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How the audited action ended: it happened, it failed, or access control refused it. */
public enum Outcome {
    SUCCESS, FAILURE, DENIED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Outcome fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
