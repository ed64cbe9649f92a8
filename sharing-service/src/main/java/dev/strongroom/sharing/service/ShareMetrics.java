package dev.strongroom.sharing.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prometheus metrics of sharing-service; labels are fixed words, never ids, names, tokens or values:
 * {@code strongroom_shares_created_total}, {@code strongroom_shares_opened_total{via}} (open, reveal),
 * {@code strongroom_shares_refused_total{reason}} (unknown, used_up, expired, revoked, burnt, passphrase_required,
 * wrong_passphrase, wrong_key, busy), {@code strongroom_shares_ended_total{state}}, and the gauge
 * {@code strongroom_shares_active} (active, unexpired shares; refreshed by the purge job).
 */
@ApplicationScoped
public class ShareMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Counter created;
    private final AtomicLong active = new AtomicLong();

    @Inject
    public ShareMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.created = Counter.builder("strongroom.shares.created").description("Share links created").register(registry);
        Gauge.builder("strongroom.shares.active", active, AtomicLong::get)
                .description("Share links that can still be opened (refreshed by the purge job)")
                .register(registry);
    }

    public void created() {
        created.increment();
    }

    public void opened(String via) {
        counter("strongroom.shares.opened", "Views spent, by endpoint", "via", via).increment();
    }

    public void refused(String reason) {
        counter("strongroom.shares.refused", "Opens refused, by reason", "reason", reason).increment();
    }

    public void ended(String state) {
        counter("strongroom.shares.ended", "Shares that left the active state, by final state", "state", state).increment();
    }

    public void active(long count) {
        active.set(count);
    }

    private Counter counter(String name, String description, String tag, String value) {
        return counters.computeIfAbsent(name + "|" + value, k -> Counter.builder(name)
                .description(description)
                .tag(tag, value)
                .register(registry));
    }
}
