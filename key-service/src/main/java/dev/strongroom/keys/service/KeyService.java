package dev.strongroom.keys.service;

import dev.strongroom.common.problem.Problems;
import dev.strongroom.crypto.keys.VersionedKeyset;
import dev.strongroom.keys.Key;
import dev.strongroom.keys.KeyVersion;
import dev.strongroom.keys.config.KeysConfig;
import dev.strongroom.keys.repository.KeyRepository;
import dev.strongroom.keys.repository.KeyVersionRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Management of keys: create, list, read, rotate (by hand and on schedule), and their policy. */
@ApplicationScoped
public class KeyService {

    private final KeyRepository keys;
    private final KeyVersionRepository versions;
    private final RootKeys rootKeys;
    private final KeyAudit audit;
    private final KeysConfig config;
    private final Clock clock;

    @Inject
    public KeyService(KeyRepository keys, KeyVersionRepository versions, RootKeys rootKeys, KeyAudit audit, KeysConfig config) {
        this.keys = keys;
        this.versions = versions;
        this.rootKeys = rootKeys;
        this.audit = audit;
        this.config = config;
        this.clock = Clock.systemUTC();
    }

    /** A new key with version 1; 409 when the name is taken. */
    @WithTransaction
    public Uni<KeyDetails> create(String name, String algorithm) {
        LocalDateTime now = now();
        return keys.findById(name)
                .onItem().ifNotNull().failWith(() -> KeyProblems.keyExists(name))
                .replaceWith(() -> newKey(name, algorithm, now))
                .chain(key -> keys.persistAndFlush(key))
                .chain(key -> versions.persistAndFlush(KeyVersion.of(name, 1, now))
                        .map(version -> new KeyDetails(key, List.of(version))))
                .onFailure(KeyService::isDuplicateKey).transform(e -> KeyProblems.keyExists(name))
                .call(details -> audit.created(details.key()));
    }

    @WithSession
    public Uni<KeyDetails> get(String name) {
        return keys.findById(name)
                .onItem().ifNull().failWith(() -> KeyProblems.keyNotFound(name))
                .chain(key -> versions.listForKey(name)
                        .map(list -> new KeyDetails(key, list)));
    }

    /** A page of keys sorted by name, each with its versions. */
    @WithSession
    public Uni<List<KeyDetails>> list(String after, int limit) {
        return keys.listAfter(after, limit)
                .chain(page -> versions.listForKeys(page.stream().map(k -> k.name).toList())
                        .map(all -> withVersions(page, all)));
    }

    /** Adds a version and makes it the primary; older versions keep decrypting. */
    @WithTransaction
    public Uni<KeyDetails> rotate(String name) {
        return keys.findByNameForUpdate(name)
                .onItem().ifNull().failWith(() -> KeyProblems.keyNotFound(name))
                .chain(key -> rotateLocked(key, false))
                .chain(key -> versions.listForKey(name)
                        .map(list -> new KeyDetails(key, list)));
    }

    /**
     * Changes the minimum decryption version and/or the rotation period ({@code autoRotatePeriodSet}
     * says whether the period was given; null or zero turns scheduled rotation off).
     */
    @WithTransaction
    public Uni<KeyDetails> update(String name, Integer minDecryptionVersion, boolean autoRotatePeriodSet, Duration autoRotatePeriod) {
        return keys.findByNameForUpdate(name)
                .onItem().ifNull().failWith(() -> KeyProblems.keyNotFound(name))
                .map(key -> applyUpdate(key, minDecryptionVersion, autoRotatePeriodSet, autoRotatePeriod))
                .chain(change -> audit.updated(change.key(), change.changes())
                        .replaceWith(change.key()))
                .chain(key -> versions.listForKey(name)
                        .map(list -> new KeyDetails(key, list)));
    }

    /**
     * Rotates keys whose scheduled rotation is due, at most a batch per call. Rows are locked with
     * SKIP LOCKED, so several replicas share the work without rotating a key twice.
     */
    /** Keys whose scheduled rotation is more than {@code strongroom.keys.rotation.overdue-after} late. */
    @WithSession
    public Uni<Long> countRotationOverdue() {
        return keys.countDueBefore(now().minus(config.rotation().overdueAfter()));
    }

    @WithTransaction
    public Uni<Integer> rotateDueKeys() {
        return keys.lockDueForRotation(now(), config.rotation().batchSize())
                .chain(names -> Multi.createFrom().iterable(names)
                        .onItem().transformToUniAndConcatenate(name -> keys.findById(name)
                                .chain(key -> rotateLocked(key, true)))
                        .collect().asList()
                        .map(List::size));
    }

    private Uni<Key> rotateLocked(Key key, boolean scheduled) {
        LocalDateTime now = now();
        VersionedKeyset rotated = rootKeys.unseal(key).rotate();
        rootKeys.seal(key, rotated);
        key.primaryVersion = rotated.primaryVersion();
        key.updatedAt = now;
        if (key.autoRotatePeriodSeconds != null) {
            key.nextRotationAt = now.plusSeconds(key.autoRotatePeriodSeconds);
        }
        return versions.persist(KeyVersion.of(key.name, rotated.primaryVersion(), now))
                .chain(() -> audit.rotated(key, scheduled))
                .replaceWith(key);
    }

    private Change applyUpdate(Key key, Integer minDecryptionVersion, boolean autoRotatePeriodSet, Duration autoRotatePeriod) {
        Map<String, Object> changes = new LinkedHashMap<>();
        if (minDecryptionVersion != null) {
            if (minDecryptionVersion < 1 || minDecryptionVersion > key.primaryVersion) {
                throw Problems.ValidationFailed.of("minDecryptionVersion",
                        "must be between 1 and the primary version " + key.primaryVersion);
            }
            changes.put("minDecryptionVersion", minDecryptionVersion);
            key.minDecryptionVersion = minDecryptionVersion;
        }
        if (autoRotatePeriodSet) {
            boolean off = autoRotatePeriod == null || autoRotatePeriod.isZero();
            if (!off && autoRotatePeriod.compareTo(config.minAutoRotatePeriod()) < 0) {
                throw Problems.ValidationFailed.of("autoRotatePeriod",
                        "must be zero (off) or at least " + config.minAutoRotatePeriod());
            }
            key.autoRotatePeriodSeconds = off ? null : autoRotatePeriod.toSeconds();
            key.nextRotationAt = off ? null : now().plus(autoRotatePeriod);
            changes.put("autoRotatePeriod", off ? "off" : autoRotatePeriod.toString());
        }
        key.updatedAt = now();
        return new Change(key, changes);
    }

    private Key newKey(String name, String algorithm, LocalDateTime now) {
        if (!Key.AES256_GCM.equals(algorithm)) {
            throw Problems.ValidationFailed.of("algorithm", "must be " + Key.AES256_GCM);
        }
        Key key = new Key();
        key.name = name;
        key.algorithm = algorithm;
        key.primaryVersion = 1;
        key.minDecryptionVersion = 1;
        key.createdAt = now;
        key.updatedAt = now;
        rootKeys.seal(key, VersionedKeyset.generate());
        return key;
    }

    private static List<KeyDetails> withVersions(List<Key> page, List<KeyVersion> all) {
        Map<String, List<KeyVersion>> byKey = all.stream()
                .collect(Collectors.groupingBy(v -> v.id.keyName, LinkedHashMap::new, Collectors.toCollection(ArrayList::new)));
        return page.stream()
                .map(key -> new KeyDetails(key, byKey.getOrDefault(key.name, List.of())))
                .toList();
    }

    /** A concurrent create of the same name lost the race on the primary key. */
    private static boolean isDuplicateKey(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }

    private LocalDateTime now() {
        return LocalDateTime.now(clock).truncatedTo(ChronoUnit.MICROS);
    }

    private record Change(Key key, Map<String, Object> changes) {}
}
