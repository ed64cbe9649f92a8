package dev.strongroom.common.audit;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with "equal jitter": attempt n waits between half and all of min(max, initial·2ⁿ⁻¹). */
public record Backoff(Duration initial, Duration max) {

    public Duration delay(int attempt) {
        long cap = max.toMillis();
        long base = initial.toMillis() << Math.min(Math.max(attempt - 1, 0), 30);
        long ceiling = Math.max(1, Math.min(cap, base <= 0 ? cap : base));
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }
}
