package dev.strongroom.crypto.envelope;

import com.google.crypto.tink.Aead;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Unwrapped data keys, kept briefly so a hot read does not cost a key-service round trip.
 * Bounded (least recently used goes first) and expiring (an entry lives {@code ttl} from when it was
 * stored, however often it is read). Holds Tink primitives, never raw key bytes in a reachable form.
 * Entries are found by KEK name and wrapped-key bytes, so a changed envelope never hits.
 * {@link #hits()}, {@link #misses()}, {@link #evictions()} and {@link #size()} are for metrics
 * (services bind them to Micrometer function counters/gauges).
 */
public final class DataKeyCache {

    private final int maxEntries;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final LinkedHashMap<Key, Cached> entries;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    public DataKeyCache(int maxEntries, Duration ttl) {
        this(maxEntries, ttl, System::nanoTime);
    }

    /** With a clock for tests. */
    public DataKeyCache(int maxEntries, Duration ttl, LongSupplier nanoTime) {
        if (maxEntries < 0 || ttl.isNegative()) {
            throw new IllegalArgumentException("maxEntries and ttl must not be negative");
        }
        this.maxEntries = maxEntries;
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Cached> eldest) {
                boolean evict = size() > DataKeyCache.this.maxEntries;
                if (evict) {
                    evictions.increment();
                }
                return evict;
            }
        };
    }

    /** A cache that keeps nothing (every lookup misses). */
    public static DataKeyCache disabled() {
        return new DataKeyCache(0, Duration.ZERO);
    }

    /** The data key's primitive, or null (counted as a miss) when absent or expired. */
    public Aead get(String kekName, byte[] wrappedKey) {
        Key key = new Key(kekName, wrappedKey);
        long now = nanoTime.getAsLong();
        synchronized (entries) {
            Cached entry = entries.get(key);
            if (entry != null && now - entry.storedAt < ttlNanos) {
                hits.increment();
                return entry.aead;
            }
            if (entry != null) {
                entries.remove(key);
                evictions.increment();
            }
        }
        misses.increment();
        return null;
    }

    public void put(String kekName, byte[] wrappedKey, Aead aead) {
        if (maxEntries == 0 || ttlNanos == 0) {
            return;
        }
        Key key = new Key(kekName, wrappedKey.clone());
        Cached entry = new Cached(aead, nanoTime.getAsLong());
        synchronized (entries) {
            entries.put(key, entry);
        }
    }

    public void clear() {
        synchronized (entries) {
            entries.clear();
        }
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    /** Entries dropped for size or age. */
    public long evictions() {
        return evictions.sum();
    }

    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    public int maxEntries() {
        return maxEntries;
    }

    @Override
    public String toString() {
        return "DataKeyCache[size=" + size() + ", max=" + maxEntries + ", hits=" + hits() + ", misses=" + misses() + "]";
    }

    private record Cached(Aead aead, long storedAt) {}

    private static final class Key {
        private final String kekName;
        private final byte[] wrapped;
        private final int hash;

        Key(String kekName, byte[] wrapped) {
            this.kekName = kekName;
            this.wrapped = wrapped;
            this.hash = 31 * kekName.hashCode() + Arrays.hashCode(wrapped);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key k && k.kekName.equals(kekName) && Arrays.equals(k.wrapped, wrapped);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
