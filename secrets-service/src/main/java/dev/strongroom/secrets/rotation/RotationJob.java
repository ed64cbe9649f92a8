package dev.strongroom.secrets.rotation;

import dev.strongroom.common.jobs.JobRuns;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Runs {@link RotationService#rotateDue()} every {@code strongroom.secrets.rotation.every}. */
@ApplicationScoped
public class RotationJob {

    private static final Logger LOG = Logger.getLogger(RotationJob.class);

    @Inject
    RotationService rotation;

    @Scheduled(identity = "strongroom.secrets.rotation", every = "${strongroom.secrets.rotation.every:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = JobRuns.Switch.class)
    Uni<Void> rotateDue() {
        return JobRuns.logged(LOG, "Scheduled rotation", rotation.rotateDue(),
                rotated -> rotated == 0 ? null : "made new versions of " + rotated + " secret(s)");
    }
}
