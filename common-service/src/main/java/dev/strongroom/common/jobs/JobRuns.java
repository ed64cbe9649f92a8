package dev.strongroom.common.jobs;

import dev.strongroom.common.problem.MessagelessFailure;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.function.Function;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * One run of a scheduled background job (key rotation, secret rotation, share purge). A job names itself by its
 * configuration prefix, {@code @Scheduled(identity = "strongroom.sharing.purge", skipExecutionIf = JobRuns.Switch.class)},
 * so that {@code <identity>.enabled=false} turns it off; its run goes through {@link #logged}.
 */
public final class JobRuns {

    private JobRuns() {}

    /**
     * Runs {@code run}, logs {@code report}'s summary of its result when there is one (null: nothing worth a line),
     * and logs a failure (its classes, not its messages, which may quote data) without letting it escape: the next run retries.
     */
    public static <T> Uni<Void> logged(Logger log, String job, Uni<T> run, Function<T, String> report) {
        return run
                .invoke(result -> {
                    String summary = report.apply(result);
                    if (summary != null) {
                        log.infof("%s: %s", job, summary);
                    }
                })
                .onFailure().invoke(e -> log.warnf("%s failed, retrying at the next run: %s", job, MessagelessFailure.kinds(e)))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Skips a job's runs while {@code <its identity>.enabled} is {@code false} (default true). */
    @Singleton
    public static class Switch implements Scheduled.SkipPredicate {

        @Override
        public boolean test(ScheduledExecution execution) {
            return !ConfigProvider.getConfig()
                    .getOptionalValue(execution.getTrigger().getId() + ".enabled", Boolean.class)
                    .orElse(true);
        }
    }
}
