package dev.strongroom.secrets.rotation;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Runs {@link RotationService#rotateDue()} every {@code strongroom.secrets.rotation.every}. */
@ApplicationScoped
public class RotationJob {

    private static final Logger LOG = Logger.getLogger(RotationJob.class);

    @Inject
    RotationService rotation;

    @Scheduled(identity = "secret-rotation", every = "${strongroom.secrets.rotation.every:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Disabled.class)
    Uni<Void> rotateDue() {
        return rotation.rotateDue()
                .invoke(rotated -> {
                    if (rotated > 0) {
                        LOG.infof("Scheduled rotation made new versions of %d secret(s)", rotated);
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("Scheduled rotation run failed, retrying at the next run: %s", e.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Skips runs when {@code strongroom.secrets.rotation.enabled=false}. */
    @Singleton
    public static class Disabled implements Scheduled.SkipPredicate {

        @ConfigProperty(name = "strongroom.secrets.rotation.enabled", defaultValue = "true")
        boolean enabled;

        @Override
        public boolean test(ScheduledExecution execution) {
            return !enabled;
        }
    }
}
