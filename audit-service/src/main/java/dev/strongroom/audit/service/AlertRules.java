package dev.strongroom.audit.service;

import dev.strongroom.audit.config.AlertConfig;
import dev.strongroom.common.audit.AuditActor;
import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.audit.AuditTarget;
import dev.strongroom.common.audit.OutboxStatements;
import dev.strongroom.common.id.UuidV7;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The alert rules, evaluated on each stored batch inside its transaction. Counting rules keep
 * per-key hits in 10-second buckets in {@code alert_window} (shared by all replicas) and fire
 * once per window per key ({@code alert_state}); an alert is an {@code alert.raised} event
 * recorded in this service's outbox, so it is chained and forwarded like any other event.
 * Windows use event time, so a replayed backlog fires the alerts it would have fired live.
 */
public final class AlertRules {

    static final long BUCKET_SECONDS = 10;

    /** A counting rule: events matching {@code matches}, counted per {@code key}. */
    public record Rule(String name, String description, Predicate<StoredEvent> matches, Function<StoredEvent, String> key,
            int threshold, Duration window) {}

    /** An alert raised in this batch (for metrics and notifications once committed). */
    public record Raised(String rule, String subject, long count, AuditEvent event) {}

    private final List<Rule> rules;
    private final Optional<String> sharedEnvironment;
    private final String source;
    private final Duration longestWindow;

    public AlertRules(AlertConfig config, String source) {
        this.source = source;
        this.sharedEnvironment = config.sharedEnvironment().filter(e -> config.enabled() && !e.isBlank());
        this.rules = !config.enabled() ? List.of() : List.of(
                new Rule("failed_logins", "failed logins for one user", e -> e.action().endsWith(".login_failed")
                        || (e.action().endsWith(".login") && !e.outcome().equals("success")), StoredEvent::actor,
                        config.failedLogins().count(), config.failedLogins().window()),
                new Rule("read_burst", "secret reads by one actor", e -> e.action().equals("secret.read") && e.outcome().equals("success"),
                        StoredEvent::actor, config.readBurst().count(), config.readBurst().window()),
                new Rule("denied_spike", "denied accesses by one actor", e -> e.outcome().equals("denied"), StoredEvent::actor,
                        config.deniedSpike().count(), config.deniedSpike().window()));
        this.longestWindow = rules.stream().map(Rule::window).max(Duration::compareTo).orElse(Duration.ofMinutes(5));
    }

    /** Counts the batch's events and raises what crossed a threshold; alert events go to the outbox. */
    public List<Raised> evaluate(Connection connection, List<StoredEvent> events) throws SQLException {
        List<Raised> raised = new ArrayList<>();
        Map<WindowKey, Integer> hits = new LinkedHashMap<>();
        Map<RuleKey, StoredEvent> latest = new LinkedHashMap<>();
        for (StoredEvent event : events) {
            if (event.action().startsWith("alert.")) {
                continue;
            }
            for (Rule rule : rules) {
                String key = rule.matches().test(event) ? rule.key().apply(event) : null;
                if (key != null) {
                    hits.merge(new WindowKey(rule.name(), key, bucket(event.time())), 1, Integer::sum);
                    latest.merge(new RuleKey(rule, key), event, (a, b) -> b.time().isAfter(a.time()) ? b : a);
                }
            }
            if (sharedEnvironment.isPresent() && event.action().equals("share.created") && event.outcome().equals("success")
                    && sharedEnvironment.get().equals(event.environment())) {
                raised.add(alert("production_share", "share created for a " + sharedEnvironment.get() + " secret",
                        event.resourceId() == null ? "unknown" : event.resourceId(), 1, 1, Duration.ZERO, event));
            }
        }
        if (!hits.isEmpty()) {
            addHits(connection, hits);
            for (Rule rule : rules) {
                Map<String, StoredEvent> triggers = new LinkedHashMap<>();
                latest.forEach((ruleKey, event) -> {
                    if (ruleKey.rule() == rule) {
                        triggers.put(ruleKey.key(), event);
                    }
                });
                if (triggers.isEmpty()) {
                    continue;
                }
                Map<String, Long> counts = counts(connection, rule, triggers);
                counts.values().removeIf(count -> count < rule.threshold());
                if (counts.isEmpty()) {
                    continue;
                }
                Map<String, Instant> lastRaised = lastRaised(connection, rule.name(), counts.keySet());
                for (Map.Entry<String, Long> crossed : counts.entrySet()) {
                    StoredEvent trigger = triggers.get(crossed.getKey());
                    Instant last = lastRaised.get(crossed.getKey());
                    if (last == null || !last.isAfter(trigger.time().minus(rule.window()))) {
                        raised.add(alert(rule.name(), rule.threshold() + " or more " + rule.description() + " within "
                                + rule.window().toSeconds() + " s", crossed.getKey(), crossed.getValue(), rule.threshold(), rule.window(), trigger));
                    }
                }
            }
        }
        remember(connection, raised);
        OutboxStatements.insert(connection, raised.stream().map(Raised::event).toList());
        return raised;
    }

    /** Drops buckets no rule looks at any more. */
    public void prune(Connection connection, Instant now) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM alert_window WHERE bucket < ?")) {
            delete.setLong(1, bucket(now.minus(longestWindow)) - 1);
            delete.executeUpdate();
        }
    }

    private Raised alert(String rule, String summary, String subject, long count, int threshold, Duration window, StoredEvent trigger) {
        String alertId = UuidV7.next().toString();
        AuditEvent event = AuditEvent.of("alert.raised")
                .actor(AuditActor.service(source, "audit-service"))
                .resource(AuditTarget.of("alert", alertId, rule))
                .time(trigger.time())
                .reason(summary)
                .detail("rule", rule)
                .detail("subject", subject)
                .detail("count", count)
                .detail("threshold", (long) threshold)
                .detail("windowSeconds", window.toSeconds())
                .detail("triggerEventId", trigger.eventId().toString())
                .detail("triggerAction", trigger.action())
                .build(source);
        return new Raised(rule, subject, count, event);
    }

    /** Records when each alert fired, so the same burst does not fire again within its window. */
    private static void remember(Connection connection, List<Raised> raised) throws SQLException {
        if (raised.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO alert_state (rule, subject_key, last_raised_at, raised_count)"
                + " VALUES (?, ?, ?, 1) ON DUPLICATE KEY UPDATE last_raised_at = VALUES(last_raised_at), raised_count = raised_count + 1")) {
            for (Raised alert : raised) {
                upsert.setString(1, alert.rule());
                upsert.setString(2, alert.subject());
                upsert.setObject(3, LocalDateTime.ofInstant(alert.event().time(), ZoneOffset.UTC));
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    private static void addHits(Connection connection, Map<WindowKey, Integer> hits) throws SQLException {
        // One lock order for every replica: sorted keys.
        List<Map.Entry<WindowKey, Integer>> sorted = new ArrayList<>(hits.entrySet());
        sorted.sort(Map.Entry.comparingByKey(java.util.Comparator.comparing(WindowKey::rule)
                .thenComparing(WindowKey::key).thenComparingLong(WindowKey::bucket)));
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO alert_window (rule, subject_key, bucket, hits)"
                + " VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE hits = hits + VALUES(hits)")) {
            for (Map.Entry<WindowKey, Integer> hit : sorted) {
                upsert.setString(1, hit.getKey().rule());
                upsert.setString(2, hit.getKey().key());
                upsert.setLong(3, hit.getKey().bucket());
                upsert.setInt(4, hit.getValue());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    /** Hits per key within the rule's window ending at each key's latest event: one query per 1000 keys. */
    private static Map<String, Long> counts(Connection connection, Rule rule, Map<String, StoredEvent> triggers) throws SQLException {
        long span = Math.max(1, rule.window().toSeconds() / BUCKET_SECONDS);
        Map<String, Long> counts = new java.util.HashMap<>();
        List<String> keys = new ArrayList<>(triggers.keySet());
        for (int from = 0; from < keys.size(); from += 1000) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + 1000));
            long oldest = chunk.stream().mapToLong(k -> bucket(triggers.get(k).time())).min().orElseThrow() - span + 1;
            String sql = "SELECT subject_key, bucket, hits FROM alert_window WHERE rule = ? AND bucket >= ? AND subject_key IN ("
                    + String.join(",", java.util.Collections.nCopies(chunk.size(), "?")) + ")";
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                query.setString(1, rule.name());
                query.setLong(2, oldest);
                for (int i = 0; i < chunk.size(); i++) {
                    query.setString(i + 3, chunk.get(i));
                }
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        String key = rs.getString(1);
                        long last = bucket(triggers.get(key).time());
                        long bucket = rs.getLong(2);
                        if (bucket > last - span && bucket <= last) {
                            counts.merge(key, rs.getLong(3), Long::sum);
                        }
                    }
                }
            }
        }
        return counts;
    }

    /** When the rule last fired for each key (locked until commit, so replicas do not both fire). */
    private static Map<String, Instant> lastRaised(Connection connection, String rule, java.util.Set<String> keys) throws SQLException {
        Map<String, Instant> last = new java.util.HashMap<>();
        List<String> sorted = new ArrayList<>(keys);
        java.util.Collections.sort(sorted);
        for (int from = 0; from < sorted.size(); from += 1000) {
            List<String> chunk = sorted.subList(from, Math.min(sorted.size(), from + 1000));
            try (PreparedStatement query = connection.prepareStatement("SELECT subject_key, last_raised_at FROM alert_state WHERE rule = ?"
                    + " AND subject_key IN (" + String.join(",", java.util.Collections.nCopies(chunk.size(), "?")) + ") FOR UPDATE")) {
                query.setString(1, rule);
                for (int i = 0; i < chunk.size(); i++) {
                    query.setString(i + 2, chunk.get(i));
                }
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        last.put(rs.getString(1), rs.getObject(2, LocalDateTime.class).toInstant(ZoneOffset.UTC));
                    }
                }
            }
        }
        return last;
    }

    static long bucket(Instant time) {
        return Math.floorDiv(time.getEpochSecond(), BUCKET_SECONDS);
    }

    private record WindowKey(String rule, String key, long bucket) {}

    private record RuleKey(Rule rule, String key) {}
}
