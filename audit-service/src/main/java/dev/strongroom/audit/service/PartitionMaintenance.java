package dev.strongroom.audit.service;

import dev.strongroom.audit.config.AuditPartitionsConfig;
import dev.strongroom.audit.config.AuditRetentionConfig;
import dev.strongroom.common.audit.AuditJson;
import dev.strongroom.common.id.UuidV7;
import dev.strongroom.common.problem.MessagelessFailure;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.jboss.logging.Logger;

/**
 * Keeps audit_record's partitions (docs/audit.md, "Partitions and retention"): creates the coming
 * months, weeks or days ({@link PartitionPeriod}) ahead of time by splitting the empty catch-all
 * {@code p_future}, from the end of the last partition on, and, when
 * {@code strongroom.audit.retention.keep} is set, archives each partition entirely older than that
 * (gzip JSON lines, its SHA-256 and the chains' checkpoints: owner-only files, fsynced, never
 * replaced) once its chains link up with the kept records, then records the checkpoints and drops the
 * partition; a partition archived by a run whose drop failed is dropped by the next one. Every replica
 * runs it; a named database lock ({@code GET_LOCK}) lets one at a time work, and each step re-reads
 * the partitions first.
 */
@ApplicationScoped
public class PartitionMaintenance {

    private static final Logger LOG = Logger.getLogger(PartitionMaintenance.class);
    private static final String LOCK = "strongroom_audit_partitions";
    private static final java.util.regex.Pattern PARTITION_NAME = java.util.regex.Pattern.compile("p_history|p[0-9]{6}|p[0-9]{8}");

    private final AuditRetentionConfig config;
    private final PartitionPeriod period;
    private final int ahead;
    private final AuditPartitionsConfig partitionsConfig;
    private final AgroalDataSource dataSource;
    private final ChainAnchors anchors;
    private final Vertx vertx;
    private final Clock clock;
    private final Counter archived;
    private final Counter archivedRecords;
    private final Counter refused;
    private final Counter failedRuns;
    private long timer = -1;

    @Inject
    PartitionMaintenance(AuditRetentionConfig config, AuditPartitionsConfig partitions, AgroalDataSource dataSource, ChainAnchors anchors,
            Vertx vertx, MeterRegistry registry) {
        this(config, partitions, dataSource, anchors, vertx, registry, Clock.systemUTC());
    }

    /** With its own clock and settings, month partitions: for tests and tools; the scheduled instance is made by CDI. */
    public PartitionMaintenance(AuditRetentionConfig config, AgroalDataSource dataSource, ChainAnchors anchors, Vertx vertx, MeterRegistry registry,
            Clock clock) {
        this(config, MONTHLY, dataSource, anchors, vertx, registry, clock);
    }

    /** With its own clock and settings: for tests and tools; the scheduled instance is made by CDI. */
    public PartitionMaintenance(AuditRetentionConfig config, AuditPartitionsConfig partitions, AgroalDataSource dataSource, ChainAnchors anchors,
            Vertx vertx, MeterRegistry registry, Clock clock) {
        this.config = config;
        this.partitionsConfig = partitions;
        this.period = PartitionPeriod.of(partitions.period());
        this.ahead = ahead(config, partitions, period);
        this.dataSource = dataSource;
        this.anchors = anchors;
        this.vertx = vertx;
        this.clock = clock;
        archived = Counter.builder("strongroom.audit.retention.partitions").tag("result", "archived")
                .description("audit_record partitions handled by retention, by result").register(registry);
        refused = Counter.builder("strongroom.audit.retention.partitions").tag("result", "refused")
                .description("audit_record partitions handled by retention, by result").register(registry);
        failedRuns = Counter.builder("strongroom.audit.partitions.failed.runs")
                .description("Scheduled partition job runs that failed (e.g. DDL gave up after lock-wait); the next run tries again")
                .register(registry);
        archivedRecords = Counter.builder("strongroom.audit.retention.records")
                .description("audit records archived and dropped by retention").register(registry);
    }

    /** The settings of month partitions, as before the period could be set. */
    private static final AuditPartitionsConfig MONTHLY = new AuditPartitionsConfig() {
        @Override
        public String period() {
            return "month";
        }

        @Override
        public Optional<Integer> ahead() {
            return Optional.empty();
        }

        @Override
        public java.time.Duration lockWait() {
            return java.time.Duration.ofSeconds(2);
        }
    };

    /** Partitions created ahead after the current one: {@code partitions.ahead}, else months-ahead for month, else the period's default. */
    private static int ahead(AuditRetentionConfig config, AuditPartitionsConfig partitions, PartitionPeriod period) {
        return partitions.ahead().orElse(period == PartitionPeriod.MONTH ? config.monthsAhead() : period.defaultAhead());
    }

    /** Refuses a retention setting that could lose records (month partitions): too short a keep, or no archive directory. */
    public static void validate(AuditRetentionConfig config) {
        validate(config, MONTHLY);
    }

    /**
     * Refuses a partition period other than month, week or day, fewer than one partition ahead, and a
     * retention setting that could lose records: a keep shorter than the period's minimum (a partition is
     * only complete once no late record can still be stamped into it), or no archive directory.
     */
    public static void validate(AuditRetentionConfig config, AuditPartitionsConfig partitions) {
        PartitionPeriod period = PartitionPeriod.of(partitions.period());
        if (partitions.ahead().isPresent() && partitions.ahead().get() < 1) {
            throw new IllegalStateException("strongroom.audit.partitions.ahead must be at least 1 (found " + partitions.ahead().get() + ")");
        }
        java.time.Duration lockWait = partitions.lockWait();
        if (lockWait.toSeconds() < 1 || lockWait.toSeconds() > 31_536_000 || lockWait.toNanos() % 1_000_000_000L != 0) {
            throw new IllegalStateException("strongroom.audit.partitions.lock-wait must be whole seconds from 1s to 365d, MariaDB's"
                    + " lock_wait_timeout (found " + lockWait + ")");
        }
        java.time.Duration minimum = period.minimumKeep();
        if (config.keep().isPresent() && config.keep().get().compareTo(minimum) < 0) {
            throw new IllegalStateException("strongroom.audit.retention.keep must be at least " + minimum.toDays() + "d with "
                    + period + " partitions (found " + config.keep().get() + "): a shorter one could drop the " + period
                    + " records are still being stored into");
        }
        if (config.keep().isPresent() && config.archiveDir().isEmpty()) {
            throw new IllegalStateException("strongroom.audit.retention.keep is set but strongroom.audit.retention.archive-dir is not:"
                    + " partitions are archived before they are dropped (docs/operations.md, \"Retention\")");
        }
    }

    void onStart(@Observes StartupEvent event) {
        validate(config, partitionsConfig);
        timer = vertx.setPeriodic(1_000, Math.max(60_000, config.every().toMillis()), id -> vertx.executeBlocking(() -> {
            runOnce();
            return null;
        }, false).onFailure(e -> {
            failedRuns.increment();
            LOG.warnf("audit partition maintenance failed, retrying at the next run: %s", MessagelessFailure.kinds(e));
        }));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** One run: create the coming partitions, then archive and drop what retention no longer keeps. Returns the partitions dropped. */
    public List<String> runOnce() throws SQLException, IOException {
        try (Connection connection = dataSource.getConnection()) {
            if (!lock(connection)) {
                return List.of(); // another replica is at it
            }
            try {
                createAhead(connection);
                List<String> dropped = new ArrayList<>();
                if (config.keep().isPresent()) {
                    LocalDateTime cutoff = LocalDateTime.ofInstant(clock.instant().minus(config.keep().get()), ZoneOffset.UTC);
                    for (Bounded partition : partitions(connection)) {
                        // oldest first; a later partition's chains continue from this one's checkpoint, so it waits
                        if (partition.before().isAfter(cutoff) || !archiveOrRefuse(connection, partition)) {
                            break;
                        }
                        dropped.add(partition.name());
                    }
                }
                return dropped;
            } finally {
                try (Statement release = connection.createStatement()) {
                    release.execute("DO RELEASE_LOCK('" + LOCK + "')");
                }
            }
        }
    }

    private static boolean lock(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT GET_LOCK('" + LOCK + "', 0)")) {
            return rs.next() && rs.getInt(1) == 1;
        }
    }

    /** A partition with an upper bound: rows stored before {@code before}. */
    record Bounded(String name, LocalDateTime before) {}

    /** The bounded partitions, oldest first (not p_future). */
    static List<Bounded> partitions(Connection connection) throws SQLException {
        List<Bounded> partitions = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT partition_name, partition_description"
                + " FROM information_schema.partitions WHERE table_schema = DATABASE() AND table_name = 'audit_record'"
                + " AND partition_description <> 'MAXVALUE' ORDER BY partition_ordinal_position")) {
            while (rs.next()) {
                String bound = rs.getString(2).replace("'", "").trim();
                String name = rs.getString(1);
                if (!PARTITION_NAME.matcher(name).matches()) {
                    throw new SQLException("unexpected audit_record partition name: " + name); // names go into DDL below
                }
                partitions.add(new Bounded(name, LocalDateTime.parse(bound.length() == 10 ? bound + "T00:00:00" : bound.replace(' ', 'T'))));
            }
        }
        return partitions;
    }

    /** Where the partitions created ahead end (exclusive): the end of the {@code ahead}-th period after the current one. */
    public LocalDate aheadUntil() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        return period.plus(period.start(today), ahead + 1L);
    }

    /** Whether the partitions already reach {@link #aheadUntil()} (a tool can wait for the job's DDL instead of racing it). */
    public boolean createdAhead() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            List<Bounded> partitions = partitions(connection);
            return !partitions.isEmpty() && !partitions.get(partitions.size() - 1).before().isBefore(aheadUntil().atStartOfDay());
        }
    }

    /**
     * Splits partitions of the configured period off {@code p_future} from the upper bound of the last
     * other partition on, whatever period that one has: after a change of period, the first new one
     * runs from that bound to the next boundary of the new period (e.g. Friday to Monday). Partitions
     * made ahead with another period are folded back first ({@link #foldBack}), so a new period applies
     * from the next boundary after "now" rather than after them.
     */
    private void createAhead(Connection connection) throws SQLException {
        List<Bounded> partitions = partitions(connection);
        if (partitions.isEmpty()) {
            return; // not partitioned (V3 not applied)
        }
        if (foldBack(connection, partitions)) {
            partitions = partitions(connection);
        }
        LocalDateTime from = partitions.get(partitions.size() - 1).before();
        LocalDateTime until = aheadUntil().atStartOfDay();
        try (Statement s = connection.createStatement()) {
            while (from.isBefore(until)) {
                LocalDate to = period.next(from.toLocalDate());
                String name = PartitionPeriod.name(from.toLocalDate(), to);
                alter(s, "REORGANIZE PARTITION p_future INTO (PARTITION " + name
                        + " VALUES LESS THAN ('" + to + "'), PARTITION p_future VALUES LESS THAN (MAXVALUE))");
                LOG.infof("audit_record partition %s created", name);
                from = to.atStartOfDay();
            }
        }
    }

    /**
     * After a change of period: folds back into {@code p_future} the empty partitions at its end that lie
     * wholly after the current period (lower bound at or after its end) and are not one period of the
     * configured length, so that creation goes on from the next period boundary with the new period. Only
     * the run of such partitions adjacent to p_future is folded (REORGANIZE takes neighbours); one holding
     * rows stops it with a warning. The partition of "now" and older ones are never touched, and a
     * partition just as this job would create it after its neighbour (a partial period up to the next
     * boundary) is kept. Returns whether anything was folded.
     */
    private boolean foldBack(Connection connection, List<Bounded> partitions) throws SQLException {
        LocalDateTime nextPeriod = period.next(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)).atStartOfDay();
        int first = partitions.size(); // the oldest partition to fold
        for (int i = partitions.size() - 1; i >= 1; i--) { // p_history (first) has no lower bound and is never folded
            Bounded partition = partitions.get(i);
            LocalDateTime from = partitions.get(i - 1).before();
            if (from.isBefore(nextPeriod) || isPeriod(from, partition.before())) {
                break;
            }
            if (holdsRows(connection, partition.name())) {
                LOG.warnf("audit_record partition %s lies after the current %s but holds rows: it is kept, and so are the ones before it",
                        partition.name(), period);
                break;
            }
            first = i;
        }
        if (first < partitions.size()
                && partitions.get(first).before().equals(period.next(partitions.get(first - 1).before().toLocalDate()).atStartOfDay())) {
            first++; // up to the next boundary: it would be created again as it is
        }
        if (first == partitions.size()) {
            return false;
        }
        List<String> fold = partitions.subList(first, partitions.size()).stream().map(Bounded::name).toList();
        try (Statement s = connection.createStatement()) {
            alter(s, "REORGANIZE PARTITION " + String.join(", ", fold) + ", p_future INTO (PARTITION p_future VALUES LESS THAN (MAXVALUE))");
        }
        LOG.infof("audit_record partitions %s folded back into p_future: %s partitions follow from %s on", String.join(", ", fold), period,
                partitions.get(first - 1).before().toLocalDate());
        return true;
    }

    /**
     * {@code ALTER TABLE audit_record <change>}, waiting at most lock-wait for the table's metadata lock
     * (MariaDB's default is a day, with every insert queued behind the waiting DDL): MariaDB answers
     * 1205 (lock wait timeout) then, the run fails and the next one tries again.
     */
    private void alter(Statement statement, String change) throws SQLException {
        statement.execute("SET STATEMENT lock_wait_timeout=" + partitionsConfig.lockWait().toSeconds() + " FOR ALTER TABLE audit_record " + change);
    }

    /** Whether {@code from} to {@code before} is exactly one configured period (from a boundary to the next). */
    private boolean isPeriod(LocalDateTime from, LocalDateTime before) {
        LocalDate day = from.toLocalDate();
        return from.toLocalTime().equals(LocalTime.MIDNIGHT) && period.start(day).equals(day)
                && before.equals(period.plus(day, 1).atStartOfDay());
    }

    private static boolean holdsRows(Connection connection, String name) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT 1 FROM audit_record PARTITION (" + name + ") LIMIT 1")) {
            return rs.next();
        }
    }

    /** A chain's last record so far, while the partition is exported. */
    private record Link(long sequence, byte[] hash) {}

    /** What {@code audit_archive} says was archived of a partition. */
    private record Archived(String fileName, String sha256, long records) {}

    private boolean archiveAndDrop(Connection connection, Bounded partition) throws SQLException, IOException {
        Map<Integer, Link> start = checkpoints(connection);
        Path dir = Path.of(config.archiveDir().orElseThrow());
        String fileName = "audit_record-" + partition.name() + ".jsonl.gz";
        Archived done = archived(connection, partition);
        if (done != null) {
            // archived and checkpointed by an earlier run whose DROP failed: drop it if all of that still holds
            String problem = resumable(connection, partition, done, dir, fileName, start);
            if (problem != null) {
                return refuse(partition, problem);
            }
            drop(connection, partition, done.records(), dir.resolve(fileName), done.sha256());
            return true;
        }
        Map<Integer, Link> heads = new TreeMap<>(start);
        Map<Integer, Link> last = new TreeMap<>();
        ensurePrivateDirectory(dir);
        Path file = dir.resolve(fileName);
        Path partial = dir.resolve(fileName + ".partial");
        Files.deleteIfExists(partial); // left by a crash (a link is removed, not followed)
        MessageDigest sha256 = HashChain.sha256();
        long count = 0;
        String problem = null;
        Base64.Encoder b64 = Base64.getEncoder();
        try (OutputStream out = Channels.newOutputStream(Files.newByteChannel(partial, NEW_FILE, privateFile(dir)));
                DigestOutputStream digest = new DigestOutputStream(out, sha256);
                GZIPOutputStream gzip = new GZIPOutputStream(digest);
                BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(gzip, StandardCharsets.UTF_8));
                PreparedStatement query = connection.prepareStatement("SELECT id, chain_partition, sequence, event_id, event_time, action, actor,"
                        + " resource_id, outcome, event, prev_hash, hash, kafka_offset, stored_at FROM audit_record PARTITION (" + partition.name()
                        + ") ORDER BY chain_partition, sequence", ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            query.setFetchSize(1000);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    int chain = rs.getInt(2);
                    long sequence = rs.getLong(3);
                    byte[] prev = rs.getBytes(11);
                    byte[] hash = rs.getBytes(12);
                    String event = rs.getString(10);
                    Link head = heads.getOrDefault(chain, new Link(0, HashChain.GENESIS));
                    if (problem == null && (sequence != head.sequence() + 1 || !MessageDigest.isEqual(prev, head.hash())
                            || !MessageDigest.isEqual(hash, HashChain.link(prev, event)))) {
                        problem = "chain " + chain + " breaks at sequence " + sequence;
                    }
                    heads.put(chain, new Link(sequence, hash));
                    last.put(chain, new Link(sequence, hash));
                    writer.write(line(rs.getLong(1), chain, sequence, b64.encodeToString(rs.getBytes(4)),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), event,
                            b64.encodeToString(prev), b64.encodeToString(hash), rs.getLong(13), rs.getString(14)));
                    writer.write('\n');
                    count++;
                }
            }
        }
        if (problem == null) {
            problem = laterRecordsBefore(connection, partition, heads);
        }
        if (problem == null) {
            problem = seam(connection, partition, last);
        }
        if (problem != null) {
            Files.deleteIfExists(partial);
            return refuse(partition, problem);
        }
        fsync(partial);
        String hex = HashChain.hex(sha256.digest());
        if (!publish(partial, file)) {
            return refuse(partition, "another file is at " + fileName + " (not replaced)");
        }
        if (!writeNew(dir, fileName + ".sha256", hex + "  " + fileName + "\n")) {
            return refuse(partition, "another file is at " + fileName + ".sha256 (not replaced)");
        }
        StringBuilder checkpoint = new StringBuilder("{\"partition\":\"" + partition.name() + "\",\"storedBefore\":\"" + partition.before()
                + "\",\"records\":" + count + ",\"sha256\":\"" + hex + "\",\"checkpoints\":[");
        boolean first = true;
        for (Map.Entry<Integer, Link> head : heads.entrySet()) {
            Link link = head.getValue();
            checkpoint.append(first ? "" : ",").append("{\"chainPartition\":").append(head.getKey()).append(",\"sequence\":").append(link.sequence())
                    .append(",\"hash\":\"").append(HashChain.hex(link.hash())).append("\",\"mac\":\"")
                    .append(HashChain.hex(anchors.checkpointMac(head.getKey(), link.sequence(), link.hash()))).append("\"}");
            first = false;
        }
        String checkpointName = "audit_record-" + partition.name() + ".checkpoint.json";
        if (!writeNew(dir, checkpointName, checkpoint.append("]}\n").toString())) {
            return refuse(partition, "another file is at " + checkpointName + " (not replaced)");
        }
        fsyncDirectory(dir);

        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            LocalDateTime now = LocalDateTime.now(clock);
            for (Map.Entry<Integer, Link> head : last.entrySet()) {
                Link link = head.getValue();
                try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO audit_chain_checkpoint"
                        + " (chain_partition, sequence, hash, mac, updated_at) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
                        + " sequence = VALUE(sequence), hash = VALUE(hash), mac = VALUE(mac), updated_at = VALUE(updated_at)")) {
                    upsert.setInt(1, head.getKey());
                    upsert.setLong(2, link.sequence());
                    upsert.setBytes(3, link.hash());
                    upsert.setBytes(4, anchors.checkpointMac(head.getKey(), link.sequence(), link.hash()));
                    upsert.setObject(5, now);
                    upsert.executeUpdate();
                }
            }
            try (PreparedStatement log = connection.prepareStatement("INSERT INTO audit_archive (partition_name, stored_before, record_count,"
                    + " file_name, sha256, archived_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                log.setString(1, partition.name());
                log.setObject(2, partition.before());
                log.setLong(3, count);
                log.setString(4, fileName);
                log.setString(5, hex);
                log.setObject(6, now);
                log.executeUpdate();
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        drop(connection, partition, count, file, hex);
        return true;
    }

    private void drop(Connection connection, Bounded partition, long count, Path file, String hex) throws SQLException {
        try (Statement s = connection.createStatement()) {
            alter(s, "DROP PARTITION " + partition.name());
        }
        forgetSeen(connection, partition.before().minusDays(30));
        archived.increment();
        archivedRecords.increment(count);
        LOG.infof("audit_record partition %s archived to %s (%d records, sha256 %s) and dropped", partition.name(), file, count, hex);
    }

    /** {@link #archiveAndDrop}, with an archive directory that cannot be written counted and logged as a refusal. */
    private boolean archiveOrRefuse(Connection connection, Bounded partition) throws SQLException {
        try {
            return archiveAndDrop(connection, partition);
        } catch (IOException e) {
            return refuse(partition, "its archive files could not be written (" + MessagelessFailure.kinds(e) + ")");
        }
    }

    private boolean refuse(Bounded partition, String problem) {
        refused.increment();
        LOG.errorf("audit_record partition %s is not archived nor dropped: %s", partition.name(), problem);
        return false;
    }

    private static Archived archived(Connection connection, Bounded partition) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT file_name, sha256, record_count FROM audit_archive WHERE partition_name = ?")) {
            query.setString(1, partition.name());
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? new Archived(rs.getString(1), rs.getString(2), rs.getLong(3)) : null;
            }
        }
    }

    /**
     * Why a partition {@code audit_archive} already holds may not simply be dropped, or null: its archive
     * must be there with the recorded SHA-256 and record count, and each chain's (MAC-verified) checkpoint
     * must be the partition's last record of that chain.
     */
    private static String resumable(Connection connection, Bounded partition, Archived done, Path dir, String fileName, Map<Integer, Link> start)
            throws SQLException, IOException {
        Path file = dir.resolve(fileName);
        if (!fileName.equals(done.fileName()) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return "it was archived, but its archive file " + fileName + " is missing";
        }
        MessageDigest sha256 = HashChain.sha256();
        try (InputStream in = Channels.newInputStream(Files.newByteChannel(file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)))) {
            in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), sha256));
        }
        if (!HashChain.hex(sha256.digest()).equals(done.sha256())) {
            return "it was archived, but " + fileName + " does not have the recorded SHA-256";
        }
        long count = 0;
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT r.chain_partition, r.sequence, r.hash, m.records"
                + " FROM audit_record PARTITION (" + partition.name() + ") r JOIN (SELECT chain_partition, MAX(sequence) AS last, COUNT(*) AS records"
                + " FROM audit_record PARTITION (" + partition.name() + ") GROUP BY chain_partition) m"
                + " ON m.chain_partition = r.chain_partition AND m.last = r.sequence")) {
            while (rs.next()) {
                Link checkpoint = start.get(rs.getInt(1));
                if (checkpoint == null || checkpoint.sequence() != rs.getLong(2) || !MessageDigest.isEqual(checkpoint.hash(), rs.getBytes(3))) {
                    return "it was archived, but the checkpoint of chain " + rs.getInt(1) + " is not its last record";
                }
                count += rs.getLong(4);
            }
        }
        return count == done.records() ? null : "it was archived, but it holds another number of records than the archive";
    }

    /**
     * The seam: each chain's first record after the partition must go on from the partition's last
     * record, or, with no record kept, the chain's anchor must be that last record.
     */
    private String seam(Connection connection, Bounded partition, Map<Integer, Link> last) throws SQLException {
        for (Map.Entry<Integer, Link> entry : last.entrySet()) {
            int chain = entry.getKey();
            Link link = entry.getValue();
            Link anchor = null; // read first: records up to it are committed before the query below
            try (PreparedStatement query = connection.prepareStatement("SELECT sequence, hash, mac FROM audit_chain_anchor WHERE chain_partition = ?")) {
                query.setInt(1, chain);
                try (ResultSet rs = query.executeQuery()) {
                    if (rs.next() && anchors.verifies(chain, rs.getLong(1), rs.getBytes(2), rs.getBytes(3))) {
                        anchor = new Link(rs.getLong(1), rs.getBytes(2));
                    }
                }
            }
            try (PreparedStatement query = connection.prepareStatement("SELECT sequence, prev_hash FROM audit_record"
                    + " WHERE chain_partition = ? AND sequence > ? AND stored_at >= ? ORDER BY sequence LIMIT 1")) {
                query.setInt(1, chain);
                query.setLong(2, link.sequence());
                query.setObject(3, partition.before());
                try (ResultSet rs = query.executeQuery()) {
                    boolean kept = rs.next();
                    if (kept && (rs.getLong(1) != link.sequence() + 1 || !MessageDigest.isEqual(rs.getBytes(2), link.hash()))) {
                        return "chain " + chain + "'s first kept record does not go on from its last record in the partition";
                    }
                    if (!kept && (anchor == null || anchor.sequence() != link.sequence() || !MessageDigest.isEqual(anchor.hash(), link.hash()))) {
                        return "chain " + chain + " keeps no record and its anchor is not its last record in the partition";
                    }
                }
            }
        }
        return null;
    }

    /** The partition's last records must be what the kept records go on from: no later partition holds an earlier sequence. */
    private static String laterRecordsBefore(Connection connection, Bounded partition, Map<Integer, Link> heads) throws SQLException {
        for (Map.Entry<Integer, Link> head : heads.entrySet()) {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT COUNT(*) FROM audit_record WHERE chain_partition = ? AND sequence <= ? AND stored_at >= ?")) {
                query.setInt(1, head.getKey());
                query.setLong(2, head.getValue().sequence());
                query.setObject(3, partition.before());
                try (ResultSet rs = query.executeQuery()) {
                    if (rs.next() && rs.getLong(1) > 0) {
                        return "chain " + head.getKey() + " has records up to " + head.getValue().sequence() + " in a later partition";
                    }
                }
            }
        }
        return null;
    }

    private Map<Integer, Link> checkpoints(Connection connection) throws SQLException {
        Map<Integer, Link> checkpoints = new HashMap<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT chain_partition, sequence, hash, mac FROM audit_chain_checkpoint")) {
            while (rs.next()) {
                if (!anchors.checkpointVerifies(rs.getInt(1), rs.getLong(2), rs.getBytes(3), rs.getBytes(4))) {
                    throw new SQLException("the retention checkpoint of chain " + rs.getInt(1) + " does not verify: nothing is dropped");
                }
                checkpoints.put(rs.getInt(1), new Link(rs.getLong(2), rs.getBytes(3)));
            }
        }
        return checkpoints;
    }

    /** Dedup ids older than the dropped partition (with a margin) go too: a duplicate that late is stored again. */
    private static void forgetSeen(Connection connection, LocalDateTime before) throws SQLException {
        // the smallest UUIDv7 of that millisecond: ids sort by their time prefix
        byte[] bound = UuidV7.toBytes(new UUID(before.toInstant(ZoneOffset.UTC).toEpochMilli() << 16, 0));
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM audit_event_seen WHERE event_id < ? LIMIT 10000")) {
            delete.setBytes(1, bound);
            while (delete.executeUpdate() > 0) {
                // in chunks, so no transaction grows large
            }
        }
    }

    /** One archived record as a JSON line: every column, binary ones in Base64. */
    private static String line(long id, int chain, long sequence, String eventId, String eventTime, String action, String actor,
            String resourceId, String outcome, String event, String prevHash, String hash, long offset, String storedAt) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode node = AuditJson.mapper().createObjectNode();
        node.put("id", id).put("chain_partition", chain).put("sequence", sequence).put("event_id", eventId).put("event_time", eventTime)
                .put("action", action).put("actor", actor).put("resource_id", resourceId).put("outcome", outcome).put("event", event)
                .put("prev_hash", prevHash).put("hash", hash).put("kafka_offset", offset).put("stored_at", storedAt);
        return AuditJson.mapper().writeValueAsString(node);
    }

    private static final Set<OpenOption> NEW_FILE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);

    private static boolean posix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Owner-only permissions for a new archive file (0600), where the file system has POSIX permissions. */
    private static FileAttribute<?>[] privateFile(Path dir) {
        return posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }

    /** The archive directory, made if missing, owner-only (0700) where the file system has POSIX permissions. */
    private static void ensurePrivateDirectory(Path dir) throws IOException {
        if (!posix(dir)) {
            Files.createDirectories(dir);
            return;
        }
        Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rwx------");
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(owner));
        if (!Files.getPosixFilePermissions(dir).equals(owner)) {
            Files.setPosixFilePermissions(dir, owner);
        }
    }

    /**
     * Moves a complete, fsynced temporary file to its final name without replacing what is there: a
     * hard link fails atomically if the name is taken. An identical file already there (left by a run
     * that stopped before its database commit) is accepted; another one is not: false.
     */
    private static boolean publish(Path partial, Path file) throws IOException {
        try {
            Files.createLink(file, partial);
            return true;
        } catch (FileAlreadyExistsException e) {
            return identical(partial, file);
        } catch (UnsupportedOperationException | FileSystemException e) {
            // no hard links on this file system (Linux answers EPERM or EOPNOTSUPP, not "unsupported")
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                return identical(partial, file);
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE); // no hard links here: a check, then the rename
            return true;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static boolean identical(Path partial, Path file) throws IOException {
        return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.mismatch(partial, file) == -1;
    }

    private static boolean writeNew(Path dir, String name, String content) throws IOException {
        Path partial = dir.resolve(name + ".partial");
        Files.deleteIfExists(partial);
        try (SeekableByteChannel channel = Files.newByteChannel(partial, NEW_FILE, privateFile(dir))) {
            ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
        fsync(partial);
        return publish(partial, dir.resolve(name));
    }

    private static void fsync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            channel.force(true);
        }
    }

    /** The new names in the directory survive a crash (POSIX; elsewhere a directory cannot be opened to sync). */
    private static void fsyncDirectory(Path dir) throws IOException {
        if (posix(dir)) {
            try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
                channel.force(true);
            }
        }
    }

}
