package dev.strongroom.audit.service;

import dev.strongroom.audit.config.IntegrityConfig;
import dev.strongroom.common.problem.MessagelessFailure;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Verifies the hash chains on a schedule, so a broken chain raises the integrity metrics (and the
 * StrongroomAuditChainBroken alert) without anyone calling GET /v1/audit/integrity; after each
 * intact verification it logs every chain's anchor as a checkpoint, a copy outside the database.
 */
@ApplicationScoped
public class IntegrityVerifier {

    private static final Logger LOG = Logger.getLogger(IntegrityVerifier.class);

    private final IntegrityService integrity;
    private final IntegrityConfig config;
    private final Vertx vertx;
    private long timer = -1;
    private volatile boolean running;

    IntegrityVerifier(IntegrityService integrity, IntegrityConfig config, Vertx vertx) {
        this.integrity = integrity;
        this.config = config;
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent event) {
        long every = config.verifyEvery().toMillis();
        if (every <= 0) {
            return;
        }
        timer = vertx.setPeriodic(Math.max(1, config.firstAfter().toMillis()), every, id -> verify());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void verify() {
        if (running) {
            return;
        }
        running = true;
        integrity.verify()
                .onTermination().invoke(() -> running = false)
                .subscribe().with(
                        report -> {
                            if (!report.ok()) {
                                LOG.errorf("audit chain integrity broken: %s", report.firstBroken());
                            } else {
                                // Copies of the anchors outside the database (the log pipeline keeps them): compare
                                // one with the table to find a cut made together with an older anchor row.
                                integrity.checkpoints().forEach(c -> LOG.infof("audit chain checkpoint partition=%d sequence=%d hash=%s mac=%s",
                                        c.partition(), c.sequence(), HashChain.hex(c.hash()), HashChain.hex(c.mac())));
                            }
                        },
                        failure -> LOG.warnf("scheduled audit chain verification failed, retrying at the next run: %s", MessagelessFailure.kinds(failure)));
    }
}
