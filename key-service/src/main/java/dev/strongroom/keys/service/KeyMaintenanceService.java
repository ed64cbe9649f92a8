package dev.strongroom.keys.service;

import dev.strongroom.common.problem.Problems;
import dev.strongroom.crypto.keys.RootKey;
import dev.strongroom.crypto.keys.VersionedKeyset;
import dev.strongroom.keys.Key;
import dev.strongroom.keys.KeyVersion;
import dev.strongroom.keys.repository.KeyRepository;
import dev.strongroom.keys.repository.KeyVersionRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Operator work on stored keysets, run by key-service's command mode (docs/keys.md): re-seal under a new
 * root key, export for backup, restore from an export. Each takes the root keys to use explicitly.
 */
@ApplicationScoped
public class KeyMaintenanceService {

    /** Keys re-sealed per transaction. */
    static final int RESEAL_BATCH = 100;

    private final KeyRepository keys;
    private final KeyVersionRepository versions;
    private final KeyAudit audit;
    private final Clock clock = Clock.systemUTC();

    @Inject
    public KeyMaintenanceService(KeyRepository keys, KeyVersionRepository versions, KeyAudit audit) {
        this.keys = keys;
        this.versions = versions;
        this.audit = audit;
    }

    /**
     * Re-seals, under {@code roots}' current root key, every keyset sealed by another one (opened with
     * the previous root key). Works in batches of {@value #RESEAL_BATCH}, one transaction each;
     * completes with the number re-sealed. Safe to run again after an interruption.
     */
    public Uni<Integer> resealAll(RootKeys roots) {
        return resealBatch(roots)
                .chain(count -> count < RESEAL_BATCH
                        ? Uni.createFrom().item(count)
                        : resealAll(roots).map(rest -> rest + count));
    }

    private Uni<Integer> resealBatch(RootKeys roots) {
        return Panache.withTransaction(() -> keys.lockSealedByOtherRoot(roots.currentRef(), RESEAL_BATCH)
                .chain(names -> Multi.createFrom().iterable(names)
                        .onItem().transformToUniAndConcatenate(name -> keys.findById(name)
                                .invoke(key -> reseal(roots, key)))
                        .collect().asList()
                        .map(List::size)));
    }

    /** Every key with its keyset as stored, or re-sealed under {@code backupKey} when given. */
    @WithSession
    public Uni<KeyExport> export(RootKeys roots, Optional<RootKey> backupKey) {
        return keys.listAll(io.quarkus.panache.common.Sort.by("name"))
                .chain(all -> versions.listAll()
                        .map(allVersions -> new KeyExport(KeyExport.FORMAT, Instant.now(clock).truncatedTo(ChronoUnit.MILLIS),
                                all.stream().map(key -> exported(key, allVersions, roots, backupKey)).toList())));
    }

    /**
     * Inserts the exported keys that do not exist here, their keysets re-sealed under the current root;
     * keys whose name exists are left alone and reported.
     */
    @WithTransaction
    public Uni<KeyExport.RestoreResult> restore(KeyExport export, RootKeys roots, Optional<RootKey> backupKey) {
        if (!KeyExport.FORMAT.equals(export.format())) {
            return Uni.createFrom().failure(new Problems.MalformedRequest("not a " + KeyExport.FORMAT + " file"));
        }
        List<String> restored = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        return Multi.createFrom().iterable(export.keys())
                .onItem().transformToUniAndConcatenate(exported -> keys.findById(exported.name())
                        .chain(existing -> {
                            if (existing != null) {
                                skipped.add(exported.name());
                                return Uni.createFrom().voidItem();
                            }
                            restored.add(exported.name());
                            return insert(exported, roots, backupKey);
                        }))
                .collect().asList()
                .map(done -> new KeyExport.RestoreResult(List.copyOf(restored), List.copyOf(skipped)));
    }

    private Uni<Void> insert(KeyExport.ExportedKey exported, RootKeys roots, Optional<RootKey> backupKey) {
        VersionedKeyset keyset = backupKey
                .map(backup -> new RootKeys(backup, Optional.empty()))
                .orElse(roots)
                .unseal(exported.name(), exported.sealedKeyset(), exported.sealedBy());
        LocalDateTime now = LocalDateTime.now(clock).truncatedTo(ChronoUnit.MICROS);
        Key key = new Key();
        key.name = exported.name();
        key.algorithm = exported.algorithm();
        key.primaryVersion = keyset.primaryVersion();
        key.minDecryptionVersion = exported.minDecryptionVersion();
        key.autoRotatePeriodSeconds = exported.autoRotatePeriodSeconds();
        key.nextRotationAt = key.autoRotatePeriodSeconds == null ? null : now.plusSeconds(key.autoRotatePeriodSeconds);
        key.createdAt = LocalDateTime.ofInstant(exported.createdAt(), ZoneOffset.UTC);
        key.updatedAt = now;
        roots.seal(key, keyset);
        List<KeyVersion> rows = exported.versions().stream()
                .map(v -> KeyVersion.of(key.name, v.version(), LocalDateTime.ofInstant(v.createdAt(), ZoneOffset.UTC)))
                .toList();
        return keys.persist(key)
                .chain(() -> versions.persist(rows))
                .chain(() -> audit.restored(key));
    }

    private static void reseal(RootKeys roots, Key key) {
        VersionedKeyset keyset = roots.unseal(key);
        roots.seal(key, keyset);
        key.updatedAt = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    private static KeyExport.ExportedKey exported(Key key, List<KeyVersion> allVersions, RootKeys roots, Optional<RootKey> backupKey) {
        byte[] sealed = key.sealedKeyset;
        String sealedBy = key.sealedBy;
        if (backupKey.isPresent()) {
            RootKeys backup = new RootKeys(backupKey.get(), Optional.empty());
            Key copy = new Key();
            copy.name = key.name;
            backup.seal(copy, roots.unseal(key));
            sealed = copy.sealedKeyset;
            sealedBy = copy.sealedBy;
        }
        List<KeyExport.ExportedVersion> versions = allVersions.stream()
                .filter(v -> v.id.keyName.equals(key.name))
                .sorted(java.util.Comparator.comparingInt(KeyVersion::version))
                .map(v -> new KeyExport.ExportedVersion(v.version(), v.createdAt.toInstant(ZoneOffset.UTC)))
                .collect(Collectors.toList());
        return new KeyExport.ExportedKey(key.name, key.algorithm, key.primaryVersion, key.minDecryptionVersion,
                key.autoRotatePeriodSeconds, key.createdAt.toInstant(ZoneOffset.UTC), versions, sealedBy, sealed);
    }
}
