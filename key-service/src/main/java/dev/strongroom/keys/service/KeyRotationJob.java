package dev.strongroom.keys.service;

import dev.strongroom.common.jobs.JobRuns;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/** Rotates keys whose autoRotatePeriod has passed; safe with any number of replicas (see {@link KeyService#rotateDueKeys()}). */
@ApplicationScoped
public class KeyRotationJob {

    private static final Logger LOG = Logger.getLogger(KeyRotationJob.class);

    @Inject
    KeyService keys;

    private final AtomicLong overdue = new AtomicLong();

    @Inject
    void registerMetrics(MeterRegistry registry) {
        Gauge.builder("strongroom.keys.rotation.overdue", overdue, AtomicLong::get)
                .description("Keys whose scheduled rotation is late by more than strongroom.keys.rotation.overdue-after")
                .register(registry);
    }

    /** Counts overdue keys whether or not this replica rotates: a stalled or disabled rotation shows here. */
    @Scheduled(identity = "key-rotation-overdue", every = "${strongroom.keys.rotation.every:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> measureOverdue() {
        return JobRuns.logged(LOG, "Counting overdue keys", keys.countRotationOverdue().invoke(overdue::set), count -> null);
    }

    @Scheduled(identity = "strongroom.keys.rotation", every = "${strongroom.keys.rotation.every:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = JobRuns.Switch.class)
    Uni<Void> rotateDueKeys() {
        return JobRuns.logged(LOG, "Scheduled key rotation", keys.rotateDueKeys(),
                rotated -> rotated == 0 ? null : "rotated " + rotated + " key(s)");
    }
}
