package dev.strongroom.sharing.service;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Runs {@link SharePurge#run()} every {@code strongroom.sharing.purge.every}. */
@ApplicationScoped
public class PurgeJob {

    private static final Logger LOG = Logger.getLogger(PurgeJob.class);

    @Inject
    SharePurge purge;

    @Scheduled(identity = "share-purge", every = "${strongroom.sharing.purge.every:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Disabled.class)
    Uni<Void> purge() {
        return purge.run()
                .invoke(result -> {
                    if (result.expired() + result.deleted() + result.released() > 0) {
                        LOG.infof("Share purge: %d expired, %d old rows deleted, %d stale tries released",
                                result.expired(), result.deleted(), result.released());
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("Share purge failed, retrying at the next run: %s", e.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Skips runs when {@code strongroom.sharing.purge.enabled=false}. */
    @Singleton
    public static class Disabled implements Scheduled.SkipPredicate {

        @ConfigProperty(name = "strongroom.sharing.purge.enabled", defaultValue = "true")
        boolean enabled;

        @Override
        public boolean test(ScheduledExecution execution) {
            return !enabled;
        }
    }
}
