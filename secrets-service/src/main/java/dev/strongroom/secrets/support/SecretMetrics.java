package dev.strongroom.secrets.support;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Prometheus metrics of secrets-service (labels never carry names or values):
 * {@code strongroom_secrets_reads_total{via,outcome}}, {@code strongroom_secrets_writes_total{operation,outcome}},
 * {@code strongroom_secrets_reveal_seconds} (histogram of successful reveals),
 * {@code strongroom_secrets_rewrap_versions_total{outcome}} (versions handled by rewrap runs). The data-key cache
 * meters ({@code strongroom_datakey_cache_*{cache="secrets"}}) are bound where the cache is made; the
 * report gauges by {@code SecretReportService}.
 */
@ApplicationScoped
public class SecretMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer reveal;

    @Inject
    public SecretMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.reveal = Timer.builder("strongroom.secrets.reveal")
                .description("Time to reveal one secret value: access query, decryption and audit commit")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry);
    }

    /** Runs a change and counts its outcome in {@code strongroom_secrets_writes_total}. */
    public <T> Uni<T> counted(String operation, Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(work::get)
                .onItem().invoke(() -> write(operation, "success"))
                .onFailure().invoke(e -> write(operation, outcomeOf(e)));
    }

    /** One value request ended; via is id, name or batch; outcome success, not_found, denied, expired, destroyed, failure. */
    public void read(String via, String outcome) {
        counters.computeIfAbsent("r|" + via + "|" + outcome, k -> Counter.builder("strongroom.secrets.reads")
                        .description("Secret value requests by how they addressed the secret and how they ended")
                        .tag("via", via)
                        .tag("outcome", outcome)
                        .register(registry))
                .increment();
    }

    /** One change ended; outcome success, denied, not_found, conflict, invalid, failure. */
    public void write(String operation, String outcome) {
        counters.computeIfAbsent("w|" + operation + "|" + outcome, k -> Counter.builder("strongroom.secrets.writes")
                        .description("Secret changes by operation and how they ended")
                        .tag("operation", operation)
                        .tag("outcome", outcome)
                        .register(registry))
                .increment();
    }

    /** Versions a rewrap run handled; outcome rewrapped, already_current, skipped, failed. */
    public void rewrap(String outcome, long versions) {
        if (versions > 0) {
            counters.computeIfAbsent("k|" + outcome, k -> Counter.builder("strongroom.secrets.rewrap.versions")
                            .description("Secret versions handled by rewrap runs (POST /v1/secrets/rewrap), by outcome")
                            .tag("outcome", outcome)
                            .register(registry))
                    .increment(versions);
        }
    }

    public void revealed(long startNanos) {
        reveal.record(System.nanoTime() - startNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** The outcome label of a failure. */
    public static String outcomeOf(Throwable failure) {
        if (failure instanceof dev.strongroom.common.problem.ProblemException p) {
            return switch (p.status()) {
                case 403 -> "denied";
                case 404 -> "not_found";
                case 409 -> "conflict";
                case 410 -> "gone";
                case 413, 422, 400 -> "invalid";
                default -> "failure";
            };
        }
        return "failure";
    }
}
