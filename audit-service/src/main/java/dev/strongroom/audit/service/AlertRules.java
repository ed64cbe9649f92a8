package dev.strongroom.audit.service;

import dev.strongroom.audit.config.AlertConfig;
import dev.strongroom.common.audit.AuditActor;
import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.audit.AuditResource;
import dev.strongroom.common.audit.OutboxStatements;
import dev.strongroom.common.audit.UuidV7;
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
                new Rule("failed_logins", "failed logins for one user", e -> e.action().equals("user.login_failed")
                        || (e.action().equals("user.login") && e.outcome().equals("failure")), StoredEvent::actor,
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
                raised.add(raise(connection, "production_share", "share created for a " + sharedEnvironment.get() + " secret",
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
                for (Map.Entry<String, StoredEvent> trigger : triggers.entrySet()) {
                    long count = counts.getOrDefault(trigger.getKey(), 0L);
                    if (count >= rule.threshold() && !recentlyRaised(connection, rule, trigger.getKey(), trigger.getValue().time())) {
                        raised.add(raise(connection, rule.name(), rule.threshold() + " or more " + rule.description() + " within "
                                + rule.window().toSeconds() + " s", trigger.getKey(), count, rule.threshold(), rule.window(), trigger.getValue()));
                    }
                }
            }
        }
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

    private Raised raise(Connection connection, String rule, String summary, String subject, long count, int threshold,
            Duration window, StoredEvent trigger) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO alert_state (rule, subject_key, last_raised_at, raised_count)"
                + " VALUES (?, ?, ?, 1) ON DUPLICATE KEY UPDATE last_raised_at = VALUES(last_raised_at), raised_count = raised_count + 1")) {
            upsert.setString(1, rule);
            upsert.setString(2, subject);
            upsert.setObject(3, LocalDateTime.ofInstant(trigger.time(), ZoneOffset.UTC));
            upsert.executeUpdate();
        }
        String alertId = UuidV7.next().toString();
        AuditEvent event = AuditEvent.of("alert.raised")
                .actor(AuditActor.service(source, "audit-service"))
                .resource(AuditResource.of("alert", alertId, rule))
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

    private static void addHits(Connection connection, Map<WindowKey, Integer> hits) throws SQLException {
        // One lock order for every replica: sorted keys.
        List<Map.Entry<WindowKey, Integer>> sorted = new ArrayList<>(hits.entrySet());
        sorted.sort(Map.Entry.comparingByKey(java.util.Comparator.comparing(WindowKey::rule)
                .thenComparing(WindowKey::key).thenComparingLong(WindowKey::bucket)));
        StringBuilder sql = new StringBuilder("INSERT INTO alert_window (rule, subject_key, bucket, hits) VALUES ");
        sql.append(String.join(",", java.util.Collections.nCopies(sorted.size(), "(?,?,?,?)")));
        sql.append(" ON DUPLICATE KEY UPDATE hits = hits + VALUES(hits)");
        try (PreparedStatement upsert = connection.prepareStatement(sql.toString())) {
            int p = 1;
            for (Map.Entry<WindowKey, Integer> hit : sorted) {
                upsert.setString(p++, hit.getKey().rule());
                upsert.setString(p++, hit.getKey().key());
                upsert.setLong(p++, hit.getKey().bucket());
                upsert.setInt(p++, hit.getValue());
            }
            upsert.executeUpdate();
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

    private static boolean recentlyRaised(Connection connection, Rule rule, String key, Instant at) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT last_raised_at FROM alert_state WHERE rule = ? AND subject_key = ? FOR UPDATE")) {
            query.setString(1, rule.name());
            query.setString(2, key);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                Instant last = rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC);
                return last.isAfter(at.minus(rule.window()));
            }
        }
    }

    static long bucket(Instant time) {
        return Math.floorDiv(time.getEpochSecond(), BUCKET_SECONDS);
    }

    private record WindowKey(String rule, String key, long bucket) {}

    private record RuleKey(Rule rule, String key) {}
}
