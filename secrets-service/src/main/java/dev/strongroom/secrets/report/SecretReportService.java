package dev.strongroom.secrets.report;

import dev.strongroom.common.problem.MessagelessFailure;
import dev.strongroom.secrets.Secret;
import dev.strongroom.secrets.config.SecretsConfig;
import dev.strongroom.secrets.support.Times;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The health report of all live secrets (counts by environment and type, expiring soon, expired,
 * rotation overdue) and the Prometheus gauges that announce the same counts:
 * {@code strongroom_secrets_total}, {@code strongroom_secrets_expiring_soon},
 * {@code strongroom_secrets_expired}, {@code strongroom_secrets_rotation_overdue}, recomputed every
 * {@code strongroom.secrets.report.gauge-refresh} so a scrape never waits for the database.
 */
@ApplicationScoped
public class SecretReportService {

    private static final Logger LOG = Logger.getLogger(SecretReportService.class);
    private static final String LIVE = "s.deletedAt is null";
    private static final String EXPIRING = "s.expiresAt > :now and s.expiresAt <= :soon";
    private static final String EXPIRED = "s.expiresAt <= :now";
    private static final String OVERDUE = "s.rotationDueAt <= :now";

    /** The report; lists are cut at the configured limit, counts are complete. */
    public record Report(LocalDateTime generatedAt, long total, Map<String, Long> byEnvironment, Map<String, Long> byType,
            int expiringWithinDays, long expiringSoonCount, List<Secret> expiringSoon, long expiredCount, List<Secret> expired,
            long overdueCount, List<Secret> overdue) {}

    private final SecretsConfig config;
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong expiringSoon = new AtomicLong();
    private final AtomicLong expiringThisWeek = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong overdue = new AtomicLong();

    @Inject
    public SecretReportService(SecretsConfig config, MeterRegistry registry) {
        this.config = config;
        Gauge.builder("strongroom.secrets.total", total, AtomicLong::get)
                .description("Live (not deleted) secrets")
                .register(registry);
        Gauge.builder("strongroom.secrets.expiring.soon", expiringSoon, AtomicLong::get)
                .description("Live secrets whose expiresAt falls within the report window (default 30 days)")
                .register(registry);
        Gauge.builder("strongroom.secrets.expiring.week", expiringThisWeek, AtomicLong::get)
                .description("Live secrets whose expiresAt falls within the next 7 days (alert StrongroomSecretsExpiringThisWeek)")
                .register(registry);
        Gauge.builder("strongroom.secrets.expired", expired, AtomicLong::get)
                .description("Live secrets past their expiresAt (their values are not served)")
                .register(registry);
        Gauge.builder("strongroom.secrets.rotation.overdue", overdue, AtomicLong::get)
                .description("Live secrets whose scheduled rotation is late by more than the overdue threshold")
                .register(registry);
    }

    public Uni<Report> report() {
        LocalDateTime now = Times.now();
        LocalDateTime soon = now.plusDays(config.report().expiringWithinDays());
        LocalDateTime late = now.minus(config.report().overdueAfter());
        int limit = config.report().listLimit();
        Parts parts = new Parts();
        return Panache.withSession(() -> Panache.getSession()
                .chain(session -> grouped(session, "s.environment")
                        .invoke(counts -> parts.byEnvironment = counts)
                        .chain(() -> grouped(session, "s.type"))
                        .invoke(counts -> parts.byType = counts)
                        .chain(() -> count(session, EXPIRING, now, soon))
                        .invoke(count -> parts.expiringCount = count)
                        .chain(() -> secrets(session, EXPIRING, "s.expiresAt", now, soon, limit))
                        .invoke(list -> parts.expiring = list)
                        .chain(() -> count(session, EXPIRED, now, null))
                        .invoke(count -> parts.expiredCount = count)
                        .chain(() -> secrets(session, EXPIRED, "s.expiresAt", now, null, limit))
                        .invoke(list -> parts.expired = list)
                        .chain(() -> count(session, OVERDUE, late, null))
                        .invoke(count -> parts.overdueCount = count)
                        .chain(() -> secrets(session, OVERDUE, "s.rotationDueAt", late, null, limit))
                        .map(overdueList -> new Report(now, parts.byEnvironment.values().stream().mapToLong(Long::longValue).sum(),
                                parts.byEnvironment, parts.byType, config.report().expiringWithinDays(),
                                parts.expiringCount, parts.expiring, parts.expiredCount, parts.expired,
                                parts.overdueCount, overdueList))));
    }

    /** The report's pieces as the queries deliver them. */
    private static final class Parts {
        Map<String, Long> byEnvironment;
        Map<String, Long> byType;
        long expiringCount;
        List<Secret> expiring;
        long expiredCount;
        List<Secret> expired;
        long overdueCount;
    }

    @Scheduled(identity = "secret-report-gauges", every = "${strongroom.secrets.report.gauge-refresh:60s}",
            delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshGauges() {
        return report()
                .invoke(report -> {
                    total.set(report.total());
                    expiringSoon.set(report.expiringSoonCount());
                    expired.set(report.expiredCount());
                    overdue.set(report.overdueCount());
                })
                .chain(report -> Panache.withSession(() -> Panache.getSession()
                        .chain(session -> count(session, EXPIRING, report.generatedAt(), report.generatedAt().plusDays(7)))))
                .invoke(expiringThisWeek::set)
                .onFailure().invoke(e -> LOG.warnf("Could not refresh the secret report gauges: %s", MessagelessFailure.kinds(e)))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private static Uni<Map<String, Long>> grouped(org.hibernate.reactive.mutiny.Mutiny.Session session, String column) {
        return session.createSelectionQuery("select " + column + ", count(s) from Secret s where " + LIVE
                        + " group by " + column, Object[].class)
                .getResultList()
                .map(rows -> {
                    Map<String, Long> counts = new TreeMap<>();
                    for (Object[] row : rows) {
                        counts.put((String) row[0], ((Number) row[1]).longValue());
                    }
                    return counts;
                });
    }

    private static Uni<Long> count(org.hibernate.reactive.mutiny.Mutiny.Session session, String where, LocalDateTime now,
            LocalDateTime soon) {
        var query = session.createSelectionQuery("select count(s) from Secret s where " + LIVE + " and " + where, Long.class)
                .setParameter("now", now);
        if (soon != null) {
            query.setParameter("soon", soon);
        }
        return query.getSingleResult();
    }

    private static Uni<List<Secret>> secrets(org.hibernate.reactive.mutiny.Mutiny.Session session, String where, String order,
            LocalDateTime now, LocalDateTime soon, int limit) {
        var query = session.createSelectionQuery("from Secret s where " + LIVE + " and " + where + " order by " + order, Secret.class)
                .setParameter("now", now)
                .setMaxResults(limit);
        if (soon != null) {
            query.setParameter("soon", soon);
        }
        return query.getResultList();
    }
}
