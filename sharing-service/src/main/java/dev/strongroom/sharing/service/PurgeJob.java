package dev.strongroom.sharing.service;

import dev.strongroom.common.jobs.JobRuns;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Runs {@link SharePurge#run()} every {@code strongroom.sharing.purge.every}. */
@ApplicationScoped
public class PurgeJob {

    private static final Logger LOG = Logger.getLogger(PurgeJob.class);

    @Inject
    SharePurge purge;

    @Scheduled(identity = "strongroom.sharing.purge", every = "${strongroom.sharing.purge.every:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = JobRuns.Switch.class)
    Uni<Void> purge() {
        return JobRuns.logged(LOG, "Share purge", purge.run(), result -> result.expired() + result.deleted() + result.released() == 0 ? null
                : String.format("%d expired, %d old rows deleted, %d stale tries released", result.expired(), result.deleted(), result.released()));
    }
}
