package dev.strongroom.common.audit;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What kind of principal acted. */
public enum ActorType {
    USER, SERVICE, WORKLOAD, ANONYMOUS;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ActorType fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
