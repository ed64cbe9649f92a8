package dev.strongroom.audit.service;

import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.id.UuidV7;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Appends a poll's worth of events to the chains, in the caller's JDBC transaction: drops events
 * already stored (by id) and records that are not audit events (to {@code audit_rejected}), links
 * each new event to its partition's chain, and inserts the rows as one bulk batch. The chain
 * heads it keeps in memory become current only when the caller reports the commit.
 * One writer per consumer thread; not thread-safe.
 */
public final class AuditLogWriter {

    static final int MAX_REJECTED_PAYLOAD = 65_536;
    private static final String INSERT = "INSERT INTO audit_record (chain_partition, sequence, event_id, event_time,"
            + " action, actor, resource_id, outcome, event, prev_hash, hash, kafka_offset, stored_at)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)";

    private final Clock clock;
    private final Map<Integer, Head> heads = new HashMap<>();

    /** The last record of a chain. */
    public record Head(long sequence, byte[] hash) {}

    /** What one batch did; {@link #pendingHeads} are applied by {@link #committed(Batch)}. */
    public record Batch(List<StoredEvent> stored, int duplicates, int rejected, Map<Integer, Head> pendingHeads) {}

    public AuditLogWriter(Clock clock) {
        this.clock = clock;
    }

    /** Records parsed and checked, ready to be appended; made without the database, on any thread. */
    public record Prepared(List<Parsed> events, List<Rejected> rejected) {}

    /** Parses and checks a poll's records and computes their canonical forms (CPU only). */
    public static Prepared prepare(List<IncomingRecord> records) {
        List<Parsed> parsed = new ArrayList<>(records.size());
        List<Rejected> rejected = new ArrayList<>();
        for (IncomingRecord record : records) {
            try {
                parsed.add(parse(record));
            } catch (RuntimeException | IOException e) {
                rejected.add(new Rejected(record, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        return new Prepared(parsed, rejected);
    }

    public Batch append(Connection connection, List<IncomingRecord> records) throws SQLException {
        return append(connection, prepare(records));
    }

    /**
     * Appends in the caller's transaction. Optimistic about duplicates: they are rare (a relay
     * re-publishing after a crash, a redelivery after a rebalance) and the unique key on the event
     * id finds them, so no lookup runs first; only when the insert hits that key is it rolled back
     * to a savepoint and redone after looking up which ids are already stored.
     */
    public Batch append(Connection connection, Prepared prepared) throws SQLException {
        Savepoint beforeInsert = connection.setSavepoint();
        try {
            return append(connection, prepared, new HashSet<>());
        } catch (SQLException e) {
            if (!isDuplicateKey(e)) {
                throw e;
            }
            connection.rollback(beforeInsert);
            return append(connection, prepared, existing(connection, prepared.events().stream().map(Parsed::id).toList()));
        }
    }

    private Batch append(Connection connection, Prepared prepared, Set<UUID> known) throws SQLException {
        List<Parsed> parsed = prepared.events();
        List<Rejected> rejected = prepared.rejected();
        Map<Integer, Head> next = new HashMap<>();
        List<StoredEvent> stored = new ArrayList<>(parsed.size());
        int duplicates = 0;
        for (Parsed event : parsed) {
            if (!known.add(event.id())) {
                duplicates++;
                continue;
            }
            Head head = next.get(event.record().partition());
            if (head == null) {
                head = head(connection, event.record().partition());
            }
            byte[] hash = HashChain.link(head.hash(), event.canonical());
            long sequence = head.sequence() + 1;
            stored.add(new StoredEvent(event.record().partition(), sequence, event.id(), event.time(), event.action(), event.actor(),
                    event.resourceId(), event.outcome(), event.environment(), event.canonical(), head.hash(), hash, event.record().offset()));
            next.put(event.record().partition(), new Head(sequence, hash));
        }
        insert(connection, stored);
        reject(connection, rejected);
        return new Batch(stored, duplicates, rejected.size(), next);
    }

    /** MariaDB's ER_DUP_ENTRY (1062), possibly wrapped by the batch. */
    private static boolean isDuplicateKey(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == 1062) {
                return true;
            }
        }
        return false;
    }

    /** The batch's transaction committed: its chain heads are now the truth. */
    public void committed(Batch batch) {
        heads.putAll(batch.pendingHeads());
    }

    /** Forget cached heads (after a failed batch or a rebalance): they are re-read from the database. */
    public void forget(Collection<Integer> partitions) {
        partitions.forEach(heads::remove);
    }

    public void forgetAll() {
        heads.clear();
    }

    private Head head(Connection connection, int partition) throws SQLException {
        Head cached = heads.get(partition);
        if (cached != null) {
            return cached;
        }
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT sequence, hash FROM audit_record WHERE chain_partition = ? ORDER BY sequence DESC LIMIT 1")) {
            query.setInt(1, partition);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? new Head(rs.getLong(1), rs.getBytes(2)) : new Head(0, HashChain.GENESIS);
            }
        }
    }

    private static Set<UUID> existing(Connection connection, List<UUID> ids) throws SQLException {
        Set<UUID> found = new HashSet<>();
        for (int from = 0; from < ids.size(); from += 1000) {
            List<UUID> chunk = ids.subList(from, Math.min(ids.size(), from + 1000));
            StringBuilder sql = new StringBuilder("SELECT event_id FROM audit_record WHERE event_id IN (");
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "?" : ",?");
            }
            try (PreparedStatement query = connection.prepareStatement(sql.append(')').toString())) {
                for (int i = 0; i < chunk.size(); i++) {
                    query.setBytes(i + 1, UuidV7.toBytes(chunk.get(i)));
                }
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        found.add(UuidV7.fromBytes(rs.getBytes(1)));
                    }
                }
            }
        }
        return found;
    }

    /** One bulk batch (MariaDB COM_STMT_BULK_EXECUTE with useBulkStmts=true): one round trip for the whole poll. */
    private void insert(Connection connection, List<StoredEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        LocalDateTime now = LocalDateTime.now(clock);
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (StoredEvent event : events) {
                insert.setInt(1, event.partition());
                insert.setLong(2, event.sequence());
                insert.setBytes(3, UuidV7.toBytes(event.eventId()));
                insert.setObject(4, LocalDateTime.ofInstant(event.time(), ZoneOffset.UTC));
                insert.setString(5, event.action());
                insert.setString(6, event.actor());
                insert.setString(7, event.resourceId());
                insert.setString(8, event.outcome());
                insert.setString(9, event.canonical());
                insert.setBytes(10, event.prevHash());
                insert.setBytes(11, event.hash());
                insert.setLong(12, event.offset());
                insert.setObject(13, now);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private void reject(Connection connection, List<Rejected> rejected) throws SQLException {
        if (rejected.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO audit_rejected (kafka_partition, kafka_offset, reason, payload, rejected_at) VALUES (?, ?, ?, ?, ?)")) {
            for (Rejected r : rejected) {
                String payload = r.record().value();
                insert.setInt(1, r.record().partition());
                insert.setLong(2, r.record().offset());
                insert.setString(3, r.reason().length() <= 500 ? r.reason() : r.reason().substring(0, 500));
                insert.setString(4, payload == null || payload.length() <= MAX_REJECTED_PAYLOAD ? payload : payload.substring(0, MAX_REJECTED_PAYLOAD));
                insert.setObject(5, LocalDateTime.now(clock));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Checks the CloudEvent envelope and the fields the log indexes (one streaming pass, see {@link EventReader}). */
    static Parsed parse(IncomingRecord record) throws IOException {
        if (record.value() == null) {
            throw new IllegalArgumentException("empty record");
        }
        EventReader.Read read = EventReader.read(record.value());
        require(AuditEvent.SPEC_VERSION.equals(read.specVersion), "specversion is not 1.0");
        UUID id = UUID.fromString(required(read.id, "id"));
        String type = required(read.type, "type");
        require(type.startsWith(AuditEvent.TYPE_PREFIX), "type does not start with strongroom.");
        required(read.source, "source");
        Instant time = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(required(read.time, "time"), Instant::from);
        require(read.dataIsObject, "data is missing");
        String action = required(read.action, "action");
        require(type.equals(AuditEvent.TYPE_PREFIX + action), "type and data.action disagree");
        String outcome = required(read.outcome, "outcome");
        require(outcome.equals("success") || outcome.equals("failure") || outcome.equals("denied"), "unknown outcome " + outcome);
        return new Parsed(record, id, time, action, clip(read.actorName != null ? read.actorName : read.actorId),
                clip(read.resourceId), outcome, read.environment, read.canonical);
    }

    private static String required(String value, String field) {
        require(value != null && !value.isBlank(), field + " is missing");
        return value;
    }

    private static String clip(String value) {
        return value == null || value.length() <= 255 ? value : value.substring(0, 255);
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException(problem);
        }
    }

    public record Parsed(IncomingRecord record, UUID id, Instant time, String action, String actor, String resourceId,
            String outcome, String environment, String canonical) {}

    public record Rejected(IncomingRecord record, String reason) {}
}
