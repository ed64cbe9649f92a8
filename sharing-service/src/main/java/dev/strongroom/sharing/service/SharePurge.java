package dev.strongroom.sharing.service;

import dev.strongroom.sharing.Share;
import dev.strongroom.sharing.config.SharingConfig;
import dev.strongroom.sharing.repository.ShareRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDateTime;
import java.util.List;

/**
 * The purge: ends active shares past their expiry (deleting their ciphertext, one {@code share.expired} each),
 * deletes the metadata rows of shares ended longer ago than the retention, gives back passphrase checks a dead
 * replica reserved, and refreshes the active-shares gauge. Safe with several replicas at once: expired shares are
 * claimed with {@code FOR UPDATE SKIP LOCKED} and ended by a conditional UPDATE, so no share is ended (or audited)
 * twice; deletes and releases are idempotent.
 */
@ApplicationScoped
public class SharePurge {

    @Inject
    ShareRepository shares;

    @Inject
    ShareService service;

    @Inject
    ShareMetrics metrics;

    @Inject
    SharingConfig config;

    /** What one run did. */
    public record Result(int expired, int deleted, int released) {}

    public Uni<Result> run() {
        LocalDateTime now = Times.now();
        SharingConfig.Purge purge = config.purge();
        return expireDue(now, purge.batchSize())
                .chain(expired -> Panache.withTransaction(() -> shares.deleteEndedBefore(now.minus(purge.retention()), purge.batchSize()))
                        .chain(deleted -> Panache.withTransaction(() -> shares.releaseStaleTries(now.minus(purge.staleTry()), purge.batchSize()))
                                .map(released -> new Result(expired, deleted, released))))
                .call(result -> Panache.withSession(() -> shares.countActive(now))
                        .invoke(metrics::active));
    }

    private Uni<Integer> expireDue(LocalDateTime now, int limit) {
        return AfterCommit.transaction(after -> shares.claimExpired(now, limit)
                .chain(ids -> ids.isEmpty()
                        ? Uni.createFrom().item(List.<Share>of())
                        : shares.list("id in ?1", ids))
                .chain(claimed -> Multi.createFrom().iterable(claimed)
                        .onItem().transformToUniAndConcatenate(share -> service.expireIfDue(share, now, after))
                        .collect().asList()
                        .map(List::size)));
    }
}
