package dev.strongroom.crypto.envelope;

import java.time.Duration;
import java.util.Objects;

/**
 * How long one data key may seal new values before a fresh one is wrapped: at most {@code maxValues}
 * values and {@code maxAge}, whichever comes first (the approach of the AWS Encryption SDK's caching
 * materials manager). Reuse saves a key-service call per write; it bounds what one data key protects
 * and keeps AES-GCM's random nonces far below their 2^32 limit per key. Values still each bind their
 * own associated data. {@link #NONE}: a fresh data key per value (envelope format 1).
 */
public record DataKeyReuse(Duration maxAge, long maxValues) {

    /** No reuse: every value gets a data key of its own. */
    public static final DataKeyReuse NONE = new DataKeyReuse(Duration.ZERO, 0);
    /** The largest number of values one data key may seal; far below AES-GCM's limit. */
    public static final long MAX_VALUES_LIMIT = 1L << 24;

    public DataKeyReuse {
        Objects.requireNonNull(maxAge);
        if (maxAge.isNegative() || maxValues < 0 || maxValues > MAX_VALUES_LIMIT) {
            throw new IllegalArgumentException("data-key reuse needs a non-negative age and 0.." + MAX_VALUES_LIMIT + " values");
        }
    }

    public boolean enabled() {
        return maxValues > 1 && !maxAge.isZero();
    }
}
