package dev.strongroom.secrets.rotation;

import dev.strongroom.common.problem.MessagelessFailure;
import dev.strongroom.common.problem.Problems;
import dev.strongroom.secrets.GeneratorSpec;
import dev.strongroom.secrets.Permission;
import dev.strongroom.secrets.Secret;
import dev.strongroom.secrets.SecretVersion;
import dev.strongroom.secrets.access.Guard;
import dev.strongroom.secrets.access.SecretLocks;
import dev.strongroom.secrets.config.SecretsConfig;
import dev.strongroom.secrets.repository.SecretRepository;
import dev.strongroom.secrets.support.Generators;
import dev.strongroom.secrets.support.SecretAudit;
import dev.strongroom.secrets.support.SecretJson;
import dev.strongroom.secrets.support.SecretMetrics;
import dev.strongroom.secrets.support.SecretRules;
import dev.strongroom.secrets.support.Times;
import dev.strongroom.secrets.value.VersionWriter;
import dev.strongroom.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Rotation: on request ({@link #rotate}: a supplied value or one from the secret's generator, needs ROTATE) and
 * scheduled. Scheduled rotation is safe with any number of replicas: a replica claims due secrets with
 * {@code SELECT ... FOR UPDATE SKIP LOCKED} and moves their next attempt past a lease in the same short
 * transaction, so no other replica takes them; it then makes each value (a webhook is called outside
 * any transaction) and writes the version in its own transaction. A failure is audited and retried
 * with a doubling delay; a replica that dies mid-way leaves its claims to be retaken after the lease.
 */
@ApplicationScoped
public class RotationService {

    private static final Logger LOG = Logger.getLogger(RotationService.class);
    private static final Duration MAX_RETRY = Duration.ofHours(24);

    @Inject
    SecretRepository secrets;

    @Inject
    WebhookGenerator webhooks;

    @Inject
    SecretLocks locks;

    @Inject
    VersionWriter writer;

    @Inject
    SecretAudit audit;

    @Inject
    SecretMetrics metrics;

    @Inject
    SecretsConfig config;

    @ConfigProperty(name = "quarkus.application.name")
    String applicationName;

    /** Rotates with the supplied value, or with one from the secret's generator. */
    public Uni<SecretVersion> rotate(Caller caller, UUID id, String value) {
        return metrics.counted("rotate", () -> {
            if (value != null) {
                byte[] bytes = SecretRules.value(value, config);
                return rotateWith(caller, id, bytes, "supplied");
            }
            // The generator may be a webhook: ask it outside the transaction, then write in a new one.
            return locks.locked(caller, id, Guard.Need.permission(Permission.ROTATE), "rotate",
                            (secret, access) -> Uni.createFrom().item(generatorOf(secret)))
                    .chain(spec -> generate(id, spec))
                    .chain(generated -> rotateWith(caller, id, generated.value(), generated.generator()));
        });
    }


    public record Generated(byte[] value, String generator) {
        @Override
        public String toString() {
            return "Generated[" + generator + "]";
        }
    }

    private static GeneratorSpec generatorOf(Secret secret) {
        GeneratorSpec spec = SecretJson.generator(secret.rotationGenerator);
        if (spec == null) {
            throw Problems.ValidationFailed.of("value", "the secret has no generator: send a value, or set rotation.generator");
        }
        return spec;
    }

    private Uni<Generated> generate(UUID id, GeneratorSpec spec) {
        if (GeneratorSpec.WEBHOOK.equals(spec.type())) {
            return webhooks.generate(spec, id)
                    .map(value -> new Generated(SecretRules.value(value, config), spec.type()));
        }
        return Uni.createFrom().item(() -> new Generated(Generators.generate(spec).getBytes(StandardCharsets.UTF_8), spec.type()));
    }

    private Uni<SecretVersion> rotateWith(Caller caller, UUID id, byte[] value, String source) {
        return locks.locked(caller, id, Guard.Need.permission(Permission.ROTATE), "rotate",
                (secret, access) -> writer.add(secret, value, SecretVersion.Origin.ROTATE, null, caller.principal())
                        .call(version -> audit.success(SecretAudit.ROTATED, secret, version.version, event -> event
                                .detail("trigger", "manual")
                                .detail("generator", source))));
    }

    /** Rotates what is due now; completes with how many secrets got a new version. */
    public Uni<Integer> rotateDue() {
        LocalDateTime now = Times.now();
        return Panache.withTransaction(() -> secrets.claimDueRotations(now, config.rotation().batchSize())
                        .call(ids -> ids.isEmpty() ? Uni.createFrom().voidItem()
                                : secrets.leaseRotations(ids, now.plus(config.rotation().lease()))))
                .chain(this::rotateAll);
    }

    private Uni<Integer> rotateAll(List<UUID> ids) {
        return Multi.createFrom().iterable(ids)
                .onItem().transformToUniAndConcatenate(this::rotateOne)
                .collect().asList()
                .map(done -> (int) done.stream().filter(Boolean::booleanValue).count());
    }

    private Uni<Boolean> rotateOne(UUID id) {
        return Panache.withTransaction(() -> secrets.findById(id))
                .chain(secret -> {
                    if (secret == null || secret.deleted() || secret.rotationIntervalDays == null) {
                        return Uni.createFrom().item(false);
                    }
                    GeneratorSpec spec = SecretJson.generator(secret.rotationGenerator);
                    return generate(id, spec == null ? GeneratorSpec.defaultPassword() : spec)
                            .chain(generated -> Panache.withTransaction(() -> secrets.lock(id)
                                    .chain(locked -> write(locked, generated.value(), generated.generator()))));
                })
                .invoke(rotated -> metrics.write("schedule", rotated ? "success" : "skipped"))
                .onFailure().recoverWithUni(failure -> recordFailure(id, failure));
    }

    private Uni<Boolean> write(Secret secret, byte[] value, String generator) {
        if (secret == null || secret.deleted() || secret.rotationIntervalDays == null) {
            return Uni.createFrom().item(false);
        }
        return writer.add(secret, value, SecretVersion.Origin.SCHEDULE, null, "service:" + applicationName)
                .call(version -> audit.success(SecretAudit.ROTATED, secret, version.version, event -> event
                        .detail("trigger", "schedule")
                        .detail("generator", generator)))
                .replaceWith(true);
    }

    private Uni<Boolean> recordFailure(UUID id, Throwable failure) {
        metrics.write("schedule", "failure");
        String reason = failure instanceof dev.strongroom.common.problem.ProblemException p ? p.getMessage() : "rotation failed";
        LOG.warnf("Scheduled rotation of secret %s failed: %s", id, reason);
        return Panache.withTransaction(() -> secrets.lock(id)
                        .chain(secret -> {
                            if (secret == null) {
                                return Uni.createFrom().voidItem();
                            }
                            secret.rotationFailures++;
                            secret.rotationAttemptAt = Times.now().plus(retryDelay(secret.rotationFailures));
                            return audit.failure(SecretAudit.ROTATED, secret, null, reason);
                        }))
                .onFailure().invoke(e -> LOG.warnf("Could not record the failed rotation of secret %s: %s", id, MessagelessFailure.kinds(e)))
                .onFailure().recoverWithNull()
                .replaceWith(false);
    }

    Duration retryDelay(int failures) {
        Duration delay = config.rotation().retryDelay().multipliedBy(1L << Math.min(failures - 1, 16));
        return delay.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : delay;
    }
}
