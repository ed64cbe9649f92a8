package dev.strongroom.audit.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.common.audit.AuditJson;
import dev.strongroom.common.id.UuidV7;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Verifies the hash chains: sequences without gaps from 1, each {@code prev_hash} equal to the
 * predecessor's {@code hash}, each {@code hash} equal to SHA-256(prev_hash || event), the query
 * columns equal to what the event says, and each chain ending exactly at its anchor (a MAC'd head,
 * {@link ChainAnchors}): so a table rewritten with recomputed hashes, or cut short, is reported too.
 * Anchors it has seen are remembered, so one rolled back to an older head is reported while this
 * instance runs. Reads each chain in pages on the reactive pool.
 */
@ApplicationScoped
public class IntegrityService {

    static final int PAGE = 2000;

    private final Pool pool;
    private final ChainAnchors anchors;
    /** The highest anchored sequence verified per chain since start: an anchor never goes back. */
    private final Map<Integer, Long> anchoredSince = new ConcurrentHashMap<>();
    private volatile List<Checkpoint> checkpoints = List.of();
    private final AtomicLong broken = new AtomicLong();
    private final AtomicLong lastVerified = new AtomicLong();
    private final Counter verifiedOk;
    private final Counter verifiedBroken;

    @Inject
    IntegrityService(Pool pool, ChainAnchors anchors, MeterRegistry registry) {
        this.pool = pool;
        this.anchors = anchors;
        Gauge.builder("strongroom.audit.integrity.broken", broken, AtomicLong::get)
                .description("1 when the last verification found a broken audit chain, else 0").register(registry);
        Gauge.builder("strongroom.audit.integrity.last.verified", lastVerified, AtomicLong::get).baseUnit("seconds")
                .description("When the chains were last verified (Unix time), 0 before the first verification").register(registry);
        verifiedOk = Counter.builder("strongroom.audit.integrity.verifications").tag("result", "ok")
                .description("Verifications of the audit chains, by result").register(registry);
        verifiedBroken = Counter.builder("strongroom.audit.integrity.verifications").tag("result", "broken")
                .description("Verifications of the audit chains, by result").register(registry);
    }

    /** Verifies every chain and records the outcome in the integrity metrics. */
    public Uni<ChainVerification> verify() {
        return walkAll()
                .invoke(this::record);
    }

    /** An anchored head the last verification found intact (logged by {@link IntegrityVerifier} as an outside copy). */
    public record Checkpoint(int partition, long sequence, byte[] hash, byte[] mac) {}

    /** The anchors of the last verification that found every chain intact. */
    public List<Checkpoint> checkpoints() {
        return checkpoints;
    }

    private void record(ChainVerification verification) {
        broken.set(verification.ok() ? 0 : 1);
        lastVerified.set(System.currentTimeMillis() / 1000);
        (verification.ok() ? verifiedOk : verifiedBroken).increment();
    }

    private Uni<ChainVerification> walkAll() {
        // a chain whose records were all removed still has its anchor
        return pool.query("SELECT DISTINCT chain_partition FROM audit_record UNION SELECT chain_partition FROM audit_chain_anchor"
                        + " UNION SELECT chain_partition FROM audit_chain_checkpoint"
                        + " ORDER BY chain_partition").execute()
                .map(rows -> {
                    List<Integer> partitions = new ArrayList<>();
                    rows.forEach(row -> partitions.add(row.getInteger(0)));
                    return partitions;
                })
                .chain(partitions -> Multi.createFrom().iterable(partitions)
                        .onItem().transformToUniAndConcatenate(this::walkChain)
                        .collect().asList()
                        .map(this::report));
    }

    private ChainVerification report(List<ChainWalk> walks) {
        long checked = walks.stream().mapToLong(w -> w.checked).sum();
        ChainVerification.BrokenRecord first = walks.stream().map(w -> w.broken).filter(Objects::nonNull).findFirst().orElse(null);
        if (first == null) {
            checkpoints = walks.stream().map(w -> new Checkpoint(w.partition, w.anchor.sequence(), w.anchor.hash(), w.anchor.mac())).toList();
        }
        long archived = walks.stream().mapToLong(w -> w.archived).sum();
        return new ChainVerification(first == null, checked, walks.size(), first, archived);
    }

    /** Reads the anchor, walks the records, then checks that the chain ends where the anchor says. */
    private Uni<ChainWalk> walkChain(int partition) {
        ChainWalk walk = new ChainWalk(partition);
        return checkpoint(walk)
                .chain(() -> anchor(partition))
                .invoke(anchor -> walk.anchor = anchor)
                .chain(anchor -> walk.broken != null ? Uni.createFrom().item(walk) : walk(walk))
                .chain(walked -> walked.broken != null || walked.anchor == null || walked.lastSequence <= walked.anchor.sequence()
                        ? Uni.createFrom().item(walked)
                        // records past the anchor: appended while we walked, if the anchor has moved on since
                        : anchor(partition).map(latest -> {
                            walked.latest = latest;
                            return walked;
                        }))
                .invoke(this::checkAnchor);
    }

    /**
     * Retention archived and dropped the chain's oldest records: the walk starts after the checkpoint
     * (the last dropped record), whose MAC must verify, so the dropped range is reported as archived
     * and a cut of the kept records is still found.
     */
    private Uni<ChainWalk> checkpoint(ChainWalk walk) {
        return pool.preparedQuery("SELECT sequence, hash, mac FROM audit_chain_checkpoint WHERE chain_partition = ?")
                .execute(Tuple.of(walk.partition))
                .map(rows -> {
                    if (rows.size() > 0) {
                        Row row = rows.iterator().next();
                        long sequence = row.getLong("sequence");
                        byte[] hash = row.getBuffer("hash").getBytes();
                        if (!anchors.checkpointVerifies(walk.partition, sequence, hash, row.getBuffer("mac").getBytes())) {
                            walk.brokenAt(sequence, "the retention checkpoint's MAC does not verify (forged, or made with another anchor key)");
                        } else {
                            walk.lastSequence = sequence;
                            walk.lastHash = hash;
                            walk.archived = sequence;
                        }
                    }
                    return walk;
                });
    }

    private Uni<AnchorRow> anchor(int partition) {
        return pool.preparedQuery("SELECT sequence, hash, mac FROM audit_chain_anchor WHERE chain_partition = ?")
                .execute(Tuple.of(partition))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new AnchorRow(row.getLong("sequence"), row.getBuffer("hash").getBytes(), row.getBuffer("mac").getBytes());
                });
    }

    /** After a walk that found every record sound: the anchor must verify and name the chain's last record. */
    private void checkAnchor(ChainWalk walk) {
        if (walk.broken != null) {
            return;
        }
        AnchorRow anchor = walk.anchor;
        Long seen = anchoredSince.get(walk.partition);
        if (anchor == null) {
            walk.brokenAt(walk.lastSequence, "the chain has no anchor (removed, or the chain was written before anchoring)");
        } else if (!anchors.verifies(walk.partition, anchor.sequence(), anchor.hash(), anchor.mac())) {
            walk.brokenAt(anchor.sequence(), "the anchor's MAC does not verify (forged, or made with another anchor key)");
        } else if (walk.lastSequence < anchor.sequence()) {
            walk.brokenAt(walk.lastSequence + 1, "records " + (walk.lastSequence + 1) + " to " + anchor.sequence()
                    + " are missing: the chain ends before its anchored head");
        } else if (walk.lastSequence > anchor.sequence() && !(walk.latest != null && walk.latest.sequence() >= walk.lastSequence
                && anchors.verifies(walk.partition, walk.latest.sequence(), walk.latest.hash(), walk.latest.mac()))) {
            walk.brokenAt(anchor.sequence() + 1, "records after the anchored head " + anchor.sequence() + " were not written by audit-service");
        } else if (seen != null && anchor.sequence() < seen) {
            walk.brokenAt(anchor.sequence(), "the anchor went back from sequence " + seen + " to " + anchor.sequence()
                    + ": the chain was cut and an older anchor put back");
        } else {
            anchoredSince.merge(walk.partition, anchor.sequence(), Math::max);
        }
    }

    private Uni<ChainWalk> walk(ChainWalk walk) {
        return pool.preparedQuery("SELECT sequence, event_id, event_time, action, actor, resource_id, outcome, event, prev_hash, hash"
                        + " FROM audit_record WHERE chain_partition = ? AND sequence > ? ORDER BY sequence LIMIT " + PAGE)
                .execute(Tuple.of(walk.partition, walk.lastSequence))
                .chain(rows -> {
                    boolean more = check(walk, rows);
                    return more ? walk(walk) : Uni.createFrom().item(walk);
                });
    }

    /** Checks one page; false when the chain is done (end reached or broken). */
    private static boolean check(ChainWalk walk, RowSet<Row> rows) {
        int seen = 0;
        for (Row row : rows) {
            seen++;
            long sequence = row.getLong("sequence");
            byte[] prevHash = row.getBuffer("prev_hash").getBytes();
            byte[] hash = row.getBuffer("hash").getBytes();
            String eventId = UuidV7.fromBytes(row.getBuffer("event_id").getBytes()).toString();
            String event = row.getString("event");
            String problem;
            if (sequence != walk.lastSequence + 1) {
                problem = "sequence " + (walk.lastSequence + 1) + " is missing";
            } else if (!MessageDigest.isEqual(prevHash, walk.lastHash)) {
                problem = "prev_hash does not match the hash of sequence " + walk.lastSequence;
            } else if (!MessageDigest.isEqual(hash, HashChain.link(prevHash, event))) {
                problem = "hash does not match the stored event";
            } else if (walk.anchor != null && sequence == walk.anchor.sequence() && !MessageDigest.isEqual(hash, walk.anchor.hash())) {
                problem = "hash differs from the anchored head: the chain was rewritten and its hashes recomputed";
            } else {
                problem = columnsDisagree(row, event, eventId);
            }
            if (problem != null) {
                walk.broken = new ChainVerification.BrokenRecord(walk.partition, sequence, eventId, problem);
                return false;
            }
            walk.checked++;
            walk.lastSequence = sequence;
            walk.lastHash = hash;
        }
        return seen == PAGE;
    }

    /** The indexed columns must say what the hashed event says, or queries could hide a record. */
    private static String columnsDisagree(Row row, String event, String eventId) {
        try {
            JsonNode node = AuditJson.mapper().readTree(event);
            JsonNode data = node.path("data");
            String actor = data.path("actor").path("name").isTextual() ? data.path("actor").path("name").textValue()
                    : data.path("actor").path("id").isTextual() ? data.path("actor").path("id").textValue() : null;
            String resourceId = data.path("resource").path("id").isTextual() ? data.path("resource").path("id").textValue() : null;
            LocalDateTime time = LocalDateTime.ofInstant(DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(node.path("time").asText(),
                    java.time.Instant::from), ZoneOffset.UTC);
            if (!eventId.equals(node.path("id").asText())
                    || !Objects.equals(row.getString("action"), data.path("action").asText())
                    || !Objects.equals(row.getString("outcome"), data.path("outcome").asText())
                    || !Objects.equals(row.getString("actor"), clip(actor))
                    || !Objects.equals(row.getString("resource_id"), clip(resourceId))
                    || !row.getLocalDateTime("event_time").equals(time)) {
                return "indexed columns do not match the stored event";
            }
            return null;
        } catch (Exception e) {
            return "stored event is not readable";
        }
    }

    private static String clip(String value) {
        return value == null || value.length() <= 255 ? value : value.substring(0, 255);
    }

    /** A chain's anchor row. */
    record AnchorRow(long sequence, byte[] hash, byte[] mac) {}

    /** Progress through one chain. */
    static final class ChainWalk {
        final int partition;
        AnchorRow anchor;
        AnchorRow latest;
        long lastSequence;
        byte[] lastHash = HashChain.GENESIS;
        long checked;
        ChainVerification.BrokenRecord broken;
        long archived;

        ChainWalk(int partition) {
            this.partition = partition;
        }

        void brokenAt(long sequence, String reason) {
            broken = new ChainVerification.BrokenRecord(partition, sequence, null, reason);
        }
    }
}
