package dev.strongroom.keys.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
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
        return keys.countRotationOverdue()
                .invoke(overdue::set)
                .onFailure().invoke(e -> LOG.warnf("counting overdue keys failed: %s", e.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    @Scheduled(identity = "key-rotation", every = "${strongroom.keys.rotation.every:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Disabled.class)
    Uni<Void> rotateDueKeys() {
        return keys.rotateDueKeys()
                .invoke(rotated -> {
                    if (rotated > 0) {
                        LOG.infof("scheduled rotation rotated %d key(s)", rotated);
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("scheduled rotation failed, retrying at the next run: %s", e.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Skips runs when {@code strongroom.keys.rotation.enabled=false}. */
    @Singleton
    public static class Disabled implements Scheduled.SkipPredicate {

        @ConfigProperty(name = "strongroom.keys.rotation.enabled", defaultValue = "true")
        boolean enabled;

        @Override
        public boolean test(ScheduledExecution execution) {
            return !enabled;
        }
    }
}
