package dev.strongroom.keys.service;

import dev.strongroom.common.problem.Problems;
import dev.strongroom.keys.Key;
import dev.strongroom.keys.config.KeysConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Creates the keys named in {@code strongroom.keys.create-on-start} that do not exist yet, so a
 * deployment can declare the KEKs its services need. Several replicas starting together are fine:
 * the losers of a create race see "exists" and move on.
 */
@ApplicationScoped
public class KeyBootstrap {

    private static final Logger LOG = Logger.getLogger(KeyBootstrap.class);

    @Inject
    KeyService keys;

    @Inject
    KeysConfig config;

    void onStart(@Observes StartupEvent event) {
        for (String name : config.createOnStart().orElse(List.of())) {
            String trimmed = name.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            try {
                VertxContextSupport.subscribeAndAwait(() -> keys.create(trimmed, Key.AES256_GCM));
                LOG.infof("created key %s (strongroom.keys.create-on-start)", trimmed);
            } catch (Problems.Conflict exists) {
                LOG.debugf("key %s exists", trimmed);
            } catch (Throwable e) {
                LOG.errorf("could not create key %s at start-up: %s", trimmed, e.getMessage());
            }
        }
    }
}
