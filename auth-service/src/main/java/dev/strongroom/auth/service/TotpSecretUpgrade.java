package dev.strongroom.auth.service;

import dev.strongroom.auth.User;
import dev.strongroom.auth.config.AuthConfig;
import dev.strongroom.auth.repository.UserRepository;
import dev.strongroom.auth.service.TotpSecrets.Column;
import dev.strongroom.common.problem.MessagelessFailure;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Seals the TOTP secrets an earlier version stored as plaintext base32 (upgrade of an existing
 * installation). Runs at start-up and then every {@code strongroom.auth.totp.upgrade-every} until one
 * run finds nothing left; a run that fails (key-service not reachable yet: it verifies auth-service's
 * own token against auth-service's JWKS, so it cannot be a start-up precondition) is retried at the
 * next one, and until then the plaintext values keep working at login. Each account is sealed in its
 * own transaction with its row locked and re-checked, so replicas running it at once and repeated
 * runs change nothing twice. Logs counts and account ids, never a secret.
 */
@ApplicationScoped
public class TotpSecretUpgrade {

    private static final Logger LOG = Logger.getLogger(TotpSecretUpgrade.class);

    /** What one run did. */
    public record Result(int sealed, int unreadable) {}

    @Inject
    AuthConfig config;
    @Inject
    UserRepository users;
    @Inject
    TotpSecrets secrets;

    private final AtomicBoolean done = new AtomicBoolean();

    @Scheduled(identity = "totp-secret-upgrade", every = "${strongroom.auth.totp.upgrade-every:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Done.class)
    Uni<Void> scheduled() {
        return run()
                .invoke(result -> {
                    if (result.sealed() > 0 || result.unreadable() > 0) {
                        LOG.infof("Encrypted %d plaintext TOTP secret(s) of earlier versions; %d could not be read and were left as they are",
                                result.sealed(), result.unreadable());
                    }
                    done.set(true);
                })
                .onFailure().invoke(e -> LOG.warnf("Encrypting plaintext TOTP secrets failed, retrying in %s: %s",
                        config.totp().upgradeEvery(), MessagelessFailure.kinds(e)))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Seals every plaintext secret there is now; fails when key-service cannot be used (what was sealed stays sealed). */
    public Uni<Result> run() {
        AtomicInteger sealed = new AtomicInteger();
        AtomicInteger unreadable = new AtomicInteger();
        return batchesFrom(null, sealed, unreadable)
                .map(ignored -> new Result(sealed.get(), unreadable.get()));
    }

    public boolean done() {
        return done.get();
    }

    private Uni<Void> batchesFrom(String after, AtomicInteger sealed, AtomicInteger unreadable) {
        int batch = config.totp().upgradeBatchSize();
        return Panache.withSession(() -> users.findIdsWithPlaintextTotp(after, batch))
                .chain(ids -> {
                    if (ids.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    Uni<Void> all = sealAll(ids, sealed, unreadable);
                    return ids.size() < batch ? all : all.chain(() -> batchesFrom(ids.getLast(), sealed, unreadable));
                });
    }

    private Uni<Void> sealAll(List<String> ids, AtomicInteger sealed, AtomicInteger unreadable) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String id : ids) {
            chain = chain.chain(() -> Panache.withTransaction(() -> sealOne(id)))
                    .invoke(count -> {
                        if (count < 0) {
                            unreadable.incrementAndGet();
                        } else {
                            sealed.addAndGet(count);
                        }
                    })
                    .replaceWithVoid();
        }
        return chain;
    }

    /** Seals the account's plaintext columns; emits how many it sealed, or -1 when a value is not base32. */
    private Uni<Integer> sealOne(String id) {
        return users.findByIdForUpdate(id)
                .chain(user -> {
                    if (user == null) {
                        return Uni.createFrom().item(0);
                    }
                    return seal(user, Column.ACTIVE)
                            .chain(active -> seal(user, Column.PENDING)
                                    .map(pending -> active < 0 || pending < 0 ? -1 : active + pending));
                });
    }

    private Uni<Integer> seal(User user, Column column) {
        byte[] stored = column == Column.ACTIVE ? user.totpSecret : user.totpPendingSecret;
        if (stored == null || TotpSecrets.isSealed(stored)) {
            return Uni.createFrom().item(0);
        }
        byte[] secret;
        try {
            secret = Base32.decode(new String(stored, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            LOG.warnf("The plaintext %s of user %s is not base32; left as it is (its codes are refused)", column.columnName(), user.id);
            return Uni.createFrom().item(-1);
        }
        return secrets.seal(user.id, column, secret)
                .eventually(() -> Arrays.fill(secret, (byte) 0))
                .invoke(envelope -> {
                    if (column == Column.ACTIVE) {
                        user.totpSecret = envelope;
                    } else {
                        user.totpPendingSecret = envelope;
                    }
                })
                .replaceWith(1);
    }

    /** Skips runs once a run found nothing left to seal. */
    @Singleton
    public static class Done implements Scheduled.SkipPredicate {

        @Inject
        TotpSecretUpgrade upgrade;

        @Override
        public boolean test(ScheduledExecution execution) {
            return upgrade.done();
        }
    }
}
