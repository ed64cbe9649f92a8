package dev.strongroom.secrets.value;

import dev.strongroom.secrets.config.SecretsConfig;
import dev.strongroom.secrets.repository.SecretVersionRepository;
import dev.strongroom.secrets.repository.SecretVersionRepository.StoredEnvelope;
import dev.strongroom.secrets.support.SecretAudit;
import dev.strongroom.secrets.support.SecretMetrics;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Wraps every stored data key again under the KEK's primary version (after {@code POST /v1/keys/{name}/rotate}), so
 * that {@code minDecryptionVersion} can then be raised: the value ciphertexts stay byte for byte the same, only the
 * wrapped data keys change. Walks the versions in (id, version) order in batches, one key-service rewrap and one
 * guarded update per version: the update only replaces the envelope that was read, so a concurrent destroy, trim or
 * rewrap (another replica's run) is never overwritten. Reads and writes go on meanwhile. Versions written while the run
 * walks (under a shared data key leased before the rotation), and versions that failed, are tried again by up to
 * {@value #CATCH_UP_PASSES} further passes over the versions still behind; {@code behind} reports what is left. Never
 * touches or logs a value.
 */
@ApplicationScoped
public class RewrapService {

    private static final Logger LOG = Logger.getLogger(RewrapService.class);
    private static final int CATCH_UP_PASSES = 2;
    private static final UUID FIRST = new UUID(0, 0);

    @Inject
    SecretVersionRepository versions;

    @Inject
    SecretCrypto crypto;

    @Inject
    SecretAudit audit;

    @Inject
    SecretMetrics metrics;

    @Inject
    SecretsConfig config;

    /**
     * One run's counts: {@code checked} versions looked at, {@code rewrapped} now under {@code kekVersion},
     * {@code alreadyCurrent} were, {@code skipped} changed or vanished meanwhile, {@code failed} could not be
     * rewrapped (distinct versions still failing at the end), {@code behind} are still wrapped by an older version when
     * the run ended; when no rewrap succeeded, so the primary version was never learned, every version counts as behind.
     */
    public record Report(String kekName, int kekVersion, long checked, long rewrapped, long alreadyCurrent, long skipped,
            long failed, long behind) {}

    public Uni<Report> rewrapAll(int batchSize) {
        String kek = config.kekName();
        crypto.renewSharedDataKeys();
        Tally tally = new Tally();
        return pass(kek, Integer.MAX_VALUE, FIRST, 0, batchSize, tally)
                .chain(() -> catchUp(kek, batchSize, tally, 1))
                .chain(() -> Panache.withSession(() -> versions.countBelow(kek, tally.primary == 0 ? Integer.MAX_VALUE : tally.primary)))
                .map(behind -> new Report(kek, tally.primary, tally.checked, tally.rewrapped, tally.alreadyCurrent,
                        tally.skipped, tally.failing.size(), behind))
                .onFailure().call(failure -> audit.rewrapped(kek, tally.primary, tally.checked, tally.rewrapped, tally.alreadyCurrent,
                                tally.skipped, tally.failing.size(), -1)
                        .onFailure().recoverWithNull())
                .call(report -> audit.rewrapped(kek, report.kekVersion(), report.checked(), report.rewrapped(),
                        report.alreadyCurrent(), report.skipped(), report.failed(), report.behind()))
                .invoke(report -> {
                    metrics.rewrap("rewrapped", report.rewrapped());
                    metrics.rewrap("already_current", report.alreadyCurrent());
                    metrics.rewrap("skipped", report.skipped());
                    metrics.rewrap("failed", report.failed());
                    LOG.infof("Rewrap of KEK %s to version %d: %d versions checked, %d rewrapped, %d already current,"
                                    + " %d skipped, %d failed, %d still behind", kek, report.kekVersion(), report.checked(),
                            report.rewrapped(), report.alreadyCurrent(), report.skipped(), report.failed(), report.behind());
                });
    }

    /** Further passes over the versions still below the primary version seen (writes that raced the first pass). */
    private Uni<Void> catchUp(String kek, int batchSize, Tally tally, int passNo) {
        if (tally.primary == 0 || passNo > CATCH_UP_PASSES) {
            return Uni.createFrom().voidItem();
        }
        long before = tally.checked;
        return pass(kek, tally.primary, FIRST, 0, batchSize, tally)
                .chain(() -> tally.checked == before ? Uni.createFrom().voidItem() : catchUp(kek, batchSize, tally, passNo + 1));
    }

    /** The versions below {@code below} after (afterId, afterVersion), batch by batch. */
    private Uni<Void> pass(String kek, int below, UUID afterId, int afterVersion, int batchSize, Tally tally) {
        return Panache.withSession(() -> versions.envelopesBelow(kek, below, afterId, afterVersion, batchSize))
                .chain(batch -> Multi.createFrom().iterable(batch)
                        .onItem().transformToUniAndConcatenate(envelope -> rewrap(envelope, tally))
                        .collect().last()
                        .chain(() -> {
                            if (batch.size() < batchSize) {
                                return Uni.createFrom().voidItem();
                            }
                            StoredEnvelope last = batch.get(batch.size() - 1);
                            return pass(kek, below, last.secretId(), last.version(), batchSize, tally);
                        }));
    }

    private Uni<Boolean> rewrap(StoredEnvelope envelope, Tally tally) {
        String key = envelope.secretId() + "/" + envelope.version();
        if (!tally.failing.remove(key)) {
            tally.checked++; // a retry of a failed version is not another version
        }
        int was;
        try {
            was = SecretCrypto.kekVersionOf(envelope.ciphertext());
        } catch (RuntimeException e) {
            tally.failing.add(key);
            LOG.warnf("Rewrap: %s has no readable envelope header (%s)", envelope, e.getClass().getSimpleName());
            return Uni.createFrom().item(Boolean.FALSE);
        }
        if (tally.primary > 0 && was >= tally.primary) {
            tally.alreadyCurrent++;
            return Uni.createFrom().item(Boolean.TRUE);
        }
        return crypto.rewrap(envelope.secretId(), envelope.version(), envelope.environment(), envelope.ciphertext())
                .chain(sealed -> {
                    tally.primary = Math.max(tally.primary, sealed.kekVersion());
                    if (sealed.kekVersion() <= was) {
                        tally.alreadyCurrent++;
                        return Uni.createFrom().item(Boolean.TRUE);
                    }
                    return Panache.withTransaction(() -> versions.replaceEnvelope(envelope.secretId(), envelope.version(),
                                    envelope.ciphertext(), sealed.envelope(), sealed.kekVersion()))
                            .map(updated -> {
                                if (updated == 1) {
                                    tally.rewrapped++;
                                } else {
                                    tally.skipped++;
                                }
                                return Boolean.TRUE;
                            });
                })
                .onFailure().recoverWithItem(failure -> {
                    tally.failing.add(key);
                    LOG.warnf("Rewrap of %s failed: %s", envelope, failure.getClass().getSimpleName());
                    return Boolean.FALSE;
                });
    }

    /** Counters of one run; its steps run one after another. */
    private static final class Tally {
        int primary;
        long checked;
        long rewrapped;
        long alreadyCurrent;
        long skipped;
        /** The versions whose last try failed (secret id/version); few, unless key-service is away. */
        final java.util.Set<String> failing = new java.util.HashSet<>();
    }
}
