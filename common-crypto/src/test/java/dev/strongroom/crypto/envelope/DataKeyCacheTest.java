package dev.strongroom.crypto.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.crypto.tink.Aead;
import dev.strongroom.crypto.DataKeys;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DataKeyCacheTest {

    private final AtomicLong now = new AtomicLong();
    private final DataKeyCache cache = new DataKeyCache(2, Duration.ofSeconds(60), now::get);

    @Test
    void countsHitsAndMisses() throws Exception {
        Aead aead = DataKeys.aead(DataKeys.generate());
        assertThat(cache.get("k", new byte[] {1})).isNull();
        cache.put("k", new byte[] {1}, aead);

        assertThat(cache.get("k", new byte[] {1})).isSameAs(aead);
        assertThat(cache.get("other", new byte[] {1})).as("another KEK name").isNull();
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(2);
    }

    @Test
    void entriesExpireTtlAfterTheyWereStored() throws Exception {
        cache.put("k", new byte[] {1}, DataKeys.aead(DataKeys.generate()));
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(cache.get("k", new byte[] {1})).isNotNull();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(cache.get("k", new byte[] {1})).isNull();
        assertThat(cache.size()).isZero();
        assertThat(cache.evictions()).isEqualTo(1);
    }

    @Test
    void boundedByLeastRecentlyUsed() throws Exception {
        cache.put("k", new byte[] {1}, DataKeys.aead(DataKeys.generate()));
        cache.put("k", new byte[] {2}, DataKeys.aead(DataKeys.generate()));
        cache.get("k", new byte[] {1});
        cache.put("k", new byte[] {3}, DataKeys.aead(DataKeys.generate()));

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get("k", new byte[] {2})).as("least recently used went").isNull();
        assertThat(cache.get("k", new byte[] {1})).isNotNull();
        assertThat(cache.evictions()).isEqualTo(1);
    }

    @Test
    void disabledCacheKeepsNothing() throws Exception {
        DataKeyCache off = DataKeyCache.disabled();
        off.put("k", new byte[] {1}, DataKeys.aead(DataKeys.generate()));
        assertThat(off.get("k", new byte[] {1})).isNull();
        assertThat(off.size()).isZero();
    }

    @Test
    void bindsItsCountersToMicrometer() throws Exception {
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        DataKeyCacheMetrics.bind(cache, "secrets", registry);
        cache.get("k", new byte[] {1});
        cache.put("k", new byte[] {1}, DataKeys.aead(DataKeys.generate()));
        cache.get("k", new byte[] {1});
        cache.get("k", new byte[] {1});

        assertThat(registry.get("strongroom.datakey.cache.hits").tag("cache", "secrets").functionCounter().count()).isEqualTo(2.0);
        assertThat(registry.get("strongroom.datakey.cache.misses").functionCounter().count()).isEqualTo(1.0);
        assertThat(registry.get("strongroom.datakey.cache.evictions").functionCounter().count()).isZero();
        assertThat(registry.get("strongroom.datakey.cache.size").gauge().value()).isEqualTo(1.0);
    }
}
