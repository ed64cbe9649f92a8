package dev.strongroom.audit.service;

import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.id.UuidV7;
import java.io.IOException;
import java.security.MessageDigest;
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
import org.jboss.logging.Logger;

/**
 * Appends a poll's worth of events to the chains, in the caller's JDBC transaction: drops events
 * already stored (by id), keeps records that are not audit events or not signed by their producer
 * out of the chain (in {@code audit_rejected}), links
 * each new event to its partition's chain, inserts the rows as one bulk batch and moves each chain's
 * anchor (its MAC'd head, {@link ChainAnchors}) in the same transaction. The chain heads it keeps in
 * memory become current only when the caller reports the commit.
 * One writer per consumer thread; not thread-safe.
 */
public final class AuditLogWriter {

    private static final Logger LOG = Logger.getLogger(AuditLogWriter.class);
    static final int MAX_REJECTED_PAYLOAD = 65_536;
    private static final String INSERT = "INSERT INTO audit_record (chain_partition, sequence, event_id, event_time,"
            + " action, actor, resource_id, outcome, event, prev_hash, hash, kafka_offset, stored_at)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)";

    private final Clock clock;
    private final ChainAnchors anchors;
    private final Map<Integer, Head> heads = new HashMap<>();

    /** The last record of a chain, and whether its anchor stands on it. */
    public record Head(long sequence, byte[] hash, Anchor anchor) {}

    /** A chain's anchor as the writer found it. */
    public enum Anchor {
        /** No records and no anchor yet: the first batch inserts it. */
        NEW,
        /** The anchor's MAC verifies and it names the last record: each batch moves it on. */
        CURRENT,
        /**
         * The anchor is missing, forged or names another record (the table was cut or rewritten):
         * events are still stored, but the anchor is left as it is, so the integrity check keeps reporting it.
         */
        BROKEN
    }

    /** What one batch did; {@link #pendingHeads} are applied by {@link #committed(Batch)}. */
    public record Batch(List<StoredEvent> stored, int duplicates, List<Rejected> rejected, Map<Integer, Head> pendingHeads) {}

    public AuditLogWriter(Clock clock, ChainAnchors anchors) {
        this.clock = clock;
        this.anchors = anchors;
    }

    /** Records parsed and checked, ready to be appended; made without the database, on any thread. */
    public record Prepared(List<Parsed> events, List<Rejected> rejected) {}

    /**
     * Parses and checks a poll's records, their producers' signatures included, and computes their
     * canonical forms (CPU only).
     */
    public static Prepared prepare(List<IncomingRecord> records, ProducerKeys.Verifier signatures) {
        List<Parsed> parsed = new ArrayList<>(records.size());
        List<Rejected> rejected = new ArrayList<>();
        for (IncomingRecord record : records) {
            Parsed event;
            try {
                event = parse(record);
            } catch (RuntimeException | IOException e) {
                rejected.add(new Rejected(record, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), RejectReason.MALFORMED));
                continue;
            }
            RejectReason untrusted = signatures.check(event.source(), record.value(), record.signature());
            if (untrusted == null) {
                parsed.add(event);
            } else {
                rejected.add(new Rejected(record, switch (untrusted) {
                    case UNSIGNED -> "unsigned: no strongroom-signature header";
                    case UNKNOWN_PRODUCER -> "unknown producer: no key for the event's source";
                    default -> "forged: the signature is not the producer's";
                }, untrusted));
            }
        }
        return new Prepared(parsed, rejected);
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
        Map<Integer, Head> start = new HashMap<>();
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
                start.put(event.record().partition(), head);
            }
            byte[] hash = HashChain.link(head.hash(), event.canonical());
            long sequence = head.sequence() + 1;
            stored.add(new StoredEvent(event.record().partition(), sequence, event.id(), event.time(), event.action(), event.actor(),
                    event.resourceId(), event.outcome(), event.environment(), event.canonical(), head.hash(), hash, event.record().offset()));
            next.put(event.record().partition(), new Head(sequence, hash, head.anchor()));
        }
        seen(connection, stored);
        insert(connection, stored);
        anchor(connection, start, next);
        reject(connection, rejected);
        return new Batch(stored, duplicates, rejected, next);
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
        batch.pendingHeads().forEach((partition, head) ->
                heads.put(partition, head.anchor() == Anchor.NEW ? new Head(head.sequence(), head.hash(), Anchor.CURRENT) : head));
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
        long sequence = 0;
        byte[] hash = HashChain.GENESIS;
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT sequence, hash FROM audit_record WHERE chain_partition = ? ORDER BY sequence DESC LIMIT 1")) {
            query.setInt(1, partition);
            try (ResultSet rs = query.executeQuery()) {
                if (rs.next()) {
                    sequence = rs.getLong(1);
                    hash = rs.getBytes(2);
                }
            }
        }
        if (sequence == 0) {
            // every record of the chain may have been archived and dropped: it goes on from its checkpoint
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT sequence, hash, mac FROM audit_chain_checkpoint WHERE chain_partition = ?")) {
                query.setInt(1, partition);
                try (ResultSet rs = query.executeQuery()) {
                    if (rs.next() && anchors.checkpointVerifies(partition, rs.getLong(1), rs.getBytes(2), rs.getBytes(3))) {
                        sequence = rs.getLong(1);
                        hash = rs.getBytes(2);
                    }
                }
            }
        }
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT sequence, hash, mac FROM audit_chain_anchor WHERE chain_partition = ?")) {
            query.setInt(1, partition);
            try (ResultSet rs = query.executeQuery()) {
                Anchor anchor;
                if (!rs.next()) {
                    anchor = sequence == 0 ? Anchor.NEW : Anchor.BROKEN;
                } else {
                    anchor = rs.getLong(1) == sequence && MessageDigest.isEqual(rs.getBytes(2), hash)
                            && anchors.verifies(partition, rs.getLong(1), rs.getBytes(2), rs.getBytes(3)) ? Anchor.CURRENT : Anchor.BROKEN;
                }
                if (anchor == Anchor.BROKEN) {
                    LOG.errorf("Audit chain %d does not match its anchor (records removed or rewritten, anchor removed or forged,"
                            + " or another anchor key): its events are still stored but the anchor stays where it is;"
                            + " GET /v1/audit/integrity reports where the chain breaks", partition);
                }
                return new Head(sequence, hash, anchor);
            }
        }
    }

    /**
     * Moves each chain's anchor from the head the batch started from to its new head. The update
     * names the old head, so an anchor changed meanwhile (another writer, tampering) fails the batch,
     * which is then retried with the heads read afresh.
     */
    private void anchor(Connection connection, Map<Integer, Head> start, Map<Integer, Head> next) throws SQLException {
        LocalDateTime now = LocalDateTime.now(clock);
        for (Map.Entry<Integer, Head> entry : next.entrySet()) {
            int partition = entry.getKey();
            Head from = start.get(partition);
            Head to = entry.getValue();
            if (from.anchor() == Anchor.NEW) {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO audit_chain_anchor (chain_partition, sequence, hash, mac, anchored_at) VALUES (?, ?, ?, ?, ?)")) {
                    insert.setInt(1, partition);
                    insert.setLong(2, to.sequence());
                    insert.setBytes(3, to.hash());
                    insert.setBytes(4, anchors.mac(partition, to.sequence(), to.hash()));
                    insert.setObject(5, now);
                    insert.executeUpdate();
                }
            } else if (from.anchor() == Anchor.CURRENT) {
                try (PreparedStatement update = connection.prepareStatement("UPDATE audit_chain_anchor SET sequence = ?, hash = ?, mac = ?,"
                        + " anchored_at = ? WHERE chain_partition = ? AND sequence = ? AND hash = ?")) {
                    update.setLong(1, to.sequence());
                    update.setBytes(2, to.hash());
                    update.setBytes(3, anchors.mac(partition, to.sequence(), to.hash()));
                    update.setObject(4, now);
                    update.setInt(5, partition);
                    update.setLong(6, from.sequence());
                    update.setBytes(7, from.hash());
                    if (update.executeUpdate() != 1) {
                        throw new SQLException("the anchor of audit chain " + partition + " changed while a batch was stored");
                    }
                }
            }
        }
    }

    private static Set<UUID> existing(Connection connection, List<UUID> ids) throws SQLException {
        Set<UUID> found = new HashSet<>();
        for (int from = 0; from < ids.size(); from += 1000) {
            List<UUID> chunk = ids.subList(from, Math.min(ids.size(), from + 1000));
            StringBuilder sql = new StringBuilder("SELECT event_id FROM audit_event_seen WHERE event_id IN (");
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

    /**
     * Claims the events' ids in {@code audit_event_seen} (the dedup key: audit_record is partitioned by
     * time and so cannot hold a unique key on the id alone); a duplicate fails here with ER_DUP_ENTRY.
     */
    private static void seen(Connection connection, List<StoredEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_event_seen (event_id) VALUES (?)")) {
            for (StoredEvent event : events) {
                insert.setBytes(1, UuidV7.toBytes(event.eventId()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
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
        String source = required(read.source, "source");
        Instant time = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(required(read.time, "time"), Instant::from);
        require(read.dataIsObject, "data is missing");
        String action = required(read.action, "action");
        require(type.equals(AuditEvent.TYPE_PREFIX + action), "type and data.action disagree");
        String outcome = required(read.outcome, "outcome");
        require(outcome.equals("success") || outcome.equals("failure") || outcome.equals("denied"), "unknown outcome " + outcome);
        return new Parsed(record, id, source, time, action, clip(read.actorName != null ? read.actorName : read.actorId),
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

    public record Parsed(IncomingRecord record, UUID id, String source, Instant time, String action, String actor, String resourceId,
            String outcome, String environment, String canonical) {}

    public record Rejected(IncomingRecord record, String reason, RejectReason kind) {}
}
