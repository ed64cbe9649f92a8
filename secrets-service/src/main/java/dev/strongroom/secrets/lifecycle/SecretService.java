package dev.strongroom.secrets.lifecycle;

import dev.strongroom.common.id.UuidV7;
import dev.strongroom.common.problem.Problems;
import dev.strongroom.secrets.GeneratorSpec;
import dev.strongroom.secrets.ListPosition;
import dev.strongroom.secrets.Permission;
import dev.strongroom.secrets.Secret;
import dev.strongroom.secrets.SecretFilter;
import dev.strongroom.secrets.SecretGrant;
import dev.strongroom.secrets.SecretTag;
import dev.strongroom.secrets.SecretVersion;
import dev.strongroom.secrets.access.Access;
import dev.strongroom.secrets.access.EnvironmentPolicy;
import dev.strongroom.secrets.access.Guard;
import dev.strongroom.secrets.access.SecretLocks;
import dev.strongroom.secrets.access.Verdict;
import dev.strongroom.secrets.config.SecretsConfig;
import dev.strongroom.secrets.repository.SecretGrantRepository;
import dev.strongroom.secrets.repository.SecretListing;
import dev.strongroom.secrets.repository.SecretRepository;
import dev.strongroom.secrets.repository.SecretTagRepository;
import dev.strongroom.secrets.repository.SecretVersionRepository;
import dev.strongroom.secrets.support.SecretAudit;
import dev.strongroom.secrets.support.SecretJson;
import dev.strongroom.secrets.support.SecretMetrics;
import dev.strongroom.secrets.support.SecretProblems;
import dev.strongroom.secrets.support.SecretRules;
import dev.strongroom.secrets.support.Times;
import dev.strongroom.secrets.value.VersionWriter;
import dev.strongroom.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.hibernate.exception.ConstraintViolationException;

/**
 * Secrets and their metadata, versions and grants: create, read metadata, patch, soft delete and
 * restore, destroy a version, list, manage access. Values are {@link SecretValueService}'s. Every
 * change and every refusal is audited in the transaction that makes it.
 */
@ApplicationScoped
public class SecretService {

    @Inject
    SecretRepository secrets;

    @Inject
    SecretVersionRepository versions;

    @Inject
    SecretGrantRepository grants;

    @Inject
    SecretTagRepository tags;

    @Inject
    SecretListing listing;

    @Inject
    VersionWriter writer;

    @Inject
    SecretAudit audit;

    @Inject
    Guard guard;

    @Inject
    SecretLocks locks;

    @Inject
    SecretMetrics metrics;

    @Inject
    SecretsConfig config;

    @Inject
    EnvironmentPolicy environments;

    /** A secret with its kept versions' metadata. */
    public record WithVersions(Secret secret, List<SecretVersion> versions) {}

    /** A page of secrets and the cursor position after its last one (null: last page). */
    public record Page(List<Secret> secrets, ListPosition next) {}

    /**
     * A new secret with its first version (sealed before the transaction, through {@link VersionWriter#first}). The
     * caller must be allowed to create in the environment ({@link EnvironmentPolicy}); a name held by a secret the
     * caller cannot see is refused with that same 403, a visible one with 409. Refusals are audited.
     */
    public Uni<Secret> create(Caller caller, NewSecret request) {
        return metrics.counted("create", () -> {
            ValidSecret valid = validate(request);
            if (!environments.mayCreate(caller, valid.environment)) {
                return Panache.withTransaction(() -> audit.createDenied(valid.environment, valid.name, "not a creator in a protected environment"))
                        .chain(() -> Uni.createFrom().failure(SecretProblems.cannotCreate(valid.environment)));
            }
            Secret secret = newSecret(caller, valid);
            return writer.first(secret, valid.value, caller.principal())
                    .chain(first -> Panache.withTransaction(() -> secrets.findByName(secret.environment, secret.name)
                            .chain(holder -> holder == null
                                    ? persistNew(secret, first, valid.tags).map(Verdict::ok)
                                    : nameHeld(caller, holder))))
                    .map(Verdict::orThrow)
                    .onFailure(ConstraintViolationException.class)
                    .transform(e -> SecretProblems.duplicate(secret.environment, secret.name));
        });
    }

    /** The answer to creating a name another secret holds: 409 if the caller may know that secret, else the create 403. */
    private Uni<Verdict<Secret>> nameHeld(Caller caller, Secret holder) {
        return grants.bitsFor(holder.id, Access.principalsOf(caller))
                .chain(bits -> {
                    if (Access.of(caller, holder, bits).knows()) {
                        return Uni.createFrom().item(Verdict.<Secret>refused(SecretProblems.duplicate(holder.environment, holder.name)));
                    }
                    return audit.createDenied(holder.environment, holder.name, "name held by a secret the caller cannot see")
                            .replaceWith(Verdict.<Secret>refused(SecretProblems.cannotCreate(holder.environment)));
                });
    }

    public Uni<Secret> metadata(Caller caller, UUID id) {
        return Panache.withTransaction(() -> secrets.findWithGrants(id, Access.principalsOf(caller))
                        .chain(found -> guard.run(caller, found == null ? null : found.secret(), Guard.bits(found),
                                Guard.Need.knowledge(), "metadata", access -> Uni.createFrom().item(found.secret()))))
                .map(Verdict::orThrow);
    }

    public Uni<WithVersions> versions(Caller caller, UUID id) {
        return Panache.withTransaction(() -> secrets.findWithGrants(id, Access.principalsOf(caller))
                        .chain(found -> guard.run(caller, found == null ? null : found.secret(), Guard.bits(found),
                                Guard.Need.knowledge(), "versions", access -> versions.listNewestFirst(id)
                                        .map(list -> new WithVersions(found.secret(), list)))))
                .map(Verdict::orThrow);
    }

    public Uni<Secret> patch(Caller caller, UUID id, MetadataPatch patch) {
        return metrics.counted("metadata", () -> {
            if (patch.empty()) {
                throw Problems.ValidationFailed.of("body", "give at least one of description, tags, expiresAt, rotation, maxVersions");
            }
            Validated valid = validate(patch);
            return locks.decided(caller, id, Guard.Need.permission(Permission.WRITE), "update-metadata",
                    (secret, access) -> pruned(secret, patch).chain(pruned -> {
                        // fewer kept versions than exist deletes history: WRITE may not, ADMIN may (audited as a destroy)
                        if (!pruned.isEmpty() && !access.has(Permission.ADMIN)) {
                            return audit.denied(secret, "update-metadata", Permission.ADMIN, 403)
                                    .replaceWith(Verdict.<Secret>refused(SecretProblems.historyNeedsAdmin(
                                            secret.maxVersions, patch.maxVersions())));
                        }
                        return applyPatch(secret, patch, valid, pruned).map(Verdict::ok);
                    }));
        });
    }

    public Uni<Void> delete(Caller caller, UUID id) {
        return metrics.counted("delete", () -> locks.locked(caller, id, Guard.Need.permission(Permission.ADMIN), "delete",
                (secret, access) -> {
                    secret.deletedAt = Times.now();
                    secret.deletedBy = caller.principal();
                    return audit.success(SecretAudit.DELETED, secret, null);
                }));
    }

    public Uni<Secret> restore(Caller caller, UUID id) {
        return metrics.counted("restore", () -> locks.locked(caller, id, Guard.Need.permission(Permission.ADMIN).includingDeleted(), "restore",
                (secret, access) -> {
                    if (!secret.deleted()) {
                        return Uni.createFrom().failure(SecretProblems.notDeleted());
                    }
                    secret.deletedAt = null;
                    secret.deletedBy = null;
                    secret.updatedAt = Times.now();
                    return audit.success(SecretAudit.RESTORED, secret, null)
                            .replaceWith(secret);
                }));
    }

    public Uni<Void> destroyVersion(Caller caller, UUID id, int number) {
        return metrics.counted("destroy", () -> locks.locked(caller, id, Guard.Need.permission(Permission.ADMIN), "destroy-version",
                (secret, access) -> versions.findVersion(id, number)
                        .chain(version -> {
                            if (version == null) {
                                return Uni.createFrom().failure(SecretProblems.versionNotFound(number));
                            }
                            if (version.destroyed()) {
                                return Uni.createFrom().voidItem();
                            }
                            version.ciphertext = null;
                            version.destroyedAt = Times.now();
                            version.destroyedBy = caller.principal();
                            return audit.success(SecretAudit.VERSION_DESTROYED, secret, number);
                        })));
    }

    public Uni<Page> list(Caller caller, SecretFilter filter, ListPosition after, int limit) {
        SecretListing.Viewer viewer = new SecretListing.Viewer(caller.principal(), Access.principalsOf(caller),
                caller.hasRole(Access.ADMIN_ROLE));
        return Panache.withSession(() -> listing.page(viewer, filter, after, limit + 1))
                .map(found -> {
                    if (found.size() <= limit) {
                        return new Page(found, null);
                    }
                    List<Secret> page = found.subList(0, limit);
                    Secret last = page.get(limit - 1);
                    return new Page(page, new ListPosition(last.environment, last.name));
                });
    }

    /** Validates list filters against the same rules as secrets (422 for impossible values). */
    public void checkFilter(SecretFilter filter) {
        SecretRules.Errors errors = new SecretRules.Errors();
        if (filter.environment() != null) {
            SecretRules.environment(filter.environment(), config, errors);
        }
        if (filter.type() != null) {
            SecretRules.type(filter.type(), errors);
        }
        if (filter.namePrefix() != null && !SecretRules.NAME.matcher(filter.namePrefix()).matches()) {
            errors.add("q", "a name prefix is 1-255 characters of [a-zA-Z0-9._/-]");
        }
        errors.throwIfAny();
    }

    // --- helpers

    private record ValidSecret(String name, String environment, byte[] value, String type, String description,
            Map<String, String> tags, LocalDateTime expiresAt, Integer intervalDays, GeneratorSpec generator, int maxVersions) {}

    private record Validated(Map<String, String> tags, GeneratorSpec generator) {}

    private ValidSecret validate(NewSecret request) {
        SecretRules.Errors errors = new SecretRules.Errors();
        SecretRules.name(request.name(), errors);
        SecretRules.environment(request.environment(), config, errors);
        String type = SecretRules.type(request.type(), errors);
        SecretRules.description(request.description(), errors);
        Map<String, String> tagMap = SecretRules.tags(request.tags(), errors);
        java.time.Instant expiresAt = request.expiresAt();
        SecretRules.expiresAt(expiresAt, java.time.Instant.now(), errors);
        int maxVersions = SecretRules.maxVersions(request.maxVersions(), config, errors);
        Integer interval = null;
        GeneratorSpec generator = null;
        if (request.rotation() != null) {
            interval = request.rotation().intervalDays();
            SecretRules.intervalDays(interval, errors);
        }
        if (request.value() == null || request.value().isEmpty()) {
            errors.add("value", "must be a non-empty string");
        }
        errors.throwIfAny();
        if (request.rotation() != null) {
            generator = request.rotation().generator() == null ? GeneratorSpec.defaultPassword()
                    : SecretRules.generator(request.rotation().generator(), config);
        }
        byte[] value = SecretRules.value(request.value(), config);
        return new ValidSecret(request.name(), request.environment(), value, type, request.description(), tagMap,
                Times.utc(expiresAt), interval, generator, maxVersions);
    }

    private Validated validate(MetadataPatch patch) {
        SecretRules.Errors errors = new SecretRules.Errors();
        if (patch.descriptionSet()) {
            SecretRules.description(patch.description(), errors);
        }
        Map<String, String> tagMap = patch.tagsSet() ? SecretRules.tags(patch.tags(), errors) : null;
        if (patch.expiresAtSet()) {
            SecretRules.expiresAt(patch.expiresAt(), java.time.Instant.now(), errors);
        }
        if (patch.maxVersions() != null) {
            SecretRules.maxVersions(patch.maxVersions(), config, errors);
        }
        if (patch.rotationSet() && patch.intervalDays() != null) {
            SecretRules.intervalDays(patch.intervalDays(), errors);
        } else if (patch.rotationSet() && patch.generator() != null) {
            errors.add("rotation.intervalDays", "must be given with a generator");
        }
        errors.throwIfAny();
        GeneratorSpec generator = null;
        if (patch.rotationSet() && patch.intervalDays() != null) {
            generator = patch.generator() == null ? GeneratorSpec.defaultPassword() : SecretRules.generator(patch.generator(), config);
        }
        return new Validated(tagMap, generator);
    }

    private static Secret newSecret(Caller caller, ValidSecret request) {
        LocalDateTime now = Times.now();
        Secret secret = new Secret();
        secret.id = UuidV7.next();
        secret.environment = request.environment;
        secret.name = request.name;
        secret.type = request.type;
        secret.description = request.description;
        secret.tags = SecretJson.tags(request.tags);
        secret.owner = caller.principal();
        secret.createdBy = caller.principal();
        secret.createdAt = now;
        secret.updatedAt = now;
        secret.expiresAt = request.expiresAt;
        secret.currentVersion = 1;
        secret.maxVersions = request.maxVersions;
        secret.rotationIntervalDays = request.intervalDays;
        secret.rotationGenerator = SecretJson.generator(request.generator);
        return secret;
    }

    private Uni<Secret> persistNew(Secret secret, SecretVersion first, Map<String, String> tagValues) {
        List<SecretTag> tagRows = tagValues.entrySet().stream()
                .map(e -> new SecretTag(secret, e.getKey(), e.getValue()))
                .toList();
        return secrets.persist(secret)
                .call(() -> versions.persist(first))
                .call(() -> tagRows.isEmpty() ? Uni.createFrom().voidItem() : tags.persist(tagRows))
                .call(() -> secrets.flush())
                .call(() -> audit.success(SecretAudit.CREATED, secret, 1, event -> event
                        .detail("secretType", secret.type)
                        .detail("rotationScheduled", secret.rotationIntervalDays != null)));
    }

    /** Numbers of the versions a patch's maxVersions would delete (none without one). */
    private Uni<List<Integer>> pruned(Secret secret, MetadataPatch patch) {
        if (patch.maxVersions() == null) {
            return Uni.createFrom().item(List.of());
        }
        return versions.numbersOlderThan(secret.id, secret.currentVersion - patch.maxVersions() + 1);
    }

    private Uni<Secret> applyPatch(Secret secret, MetadataPatch patch, Validated valid, List<Integer> pruned) {
        LocalDateTime now = Times.now();
        List<String> changed = new ArrayList<>();
        if (patch.descriptionSet()) {
            secret.description = patch.description();
            changed.add("description");
        }
        if (patch.expiresAtSet()) {
            secret.expiresAt = Times.utc(patch.expiresAt());
            changed.add("expiresAt");
        }
        if (patch.maxVersions() != null) {
            secret.maxVersions = patch.maxVersions();
            changed.add("maxVersions");
        }
        if (patch.rotationSet()) {
            changed.add("rotation");
            if (patch.intervalDays() == null) {
                secret.rotationIntervalDays = null;
                secret.rotationGenerator = null;
                secret.rotationDueAt = null;
                secret.rotationAttemptAt = null;
                secret.rotationFailures = 0;
            } else {
                secret.rotationIntervalDays = patch.intervalDays();
                secret.rotationGenerator = SecretJson.generator(valid.generator());
                LocalDateTime from = secret.lastRotatedAt != null ? secret.lastRotatedAt : secret.createdAt;
                LocalDateTime due = from.plusDays(patch.intervalDays());
                secret.rotationDueAt = due.isBefore(now) ? now : due;
                secret.rotationAttemptAt = secret.rotationDueAt;
                secret.rotationFailures = 0;
            }
        }
        Uni<Void> tagWrite = Uni.createFrom().voidItem();
        if (valid.tags() != null) {
            secret.tags = SecretJson.tags(valid.tags());
            changed.add("tags");
            tagWrite = tags.replace(secret, valid.tags());
        }
        secret.updatedAt = now;
        Uni<Void> prune = pruned.isEmpty() ? Uni.createFrom().voidItem()
                : versions.deleteOlderThan(secret.id, secret.currentVersion - secret.maxVersions + 1)
                        .chain(() -> destroyedByRetention(secret, pruned));
        return tagWrite
                .chain(() -> prune)
                .chain(() -> audit.success(SecretAudit.METADATA_UPDATED, secret, null, event -> event.detail("fields", changed)))
                .replaceWith(secret);
    }

    /** One {@code secret.version_destroyed} per version a lower maxVersions deleted (with its row). */
    private Uni<Void> destroyedByRetention(Secret secret, List<Integer> pruned) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Integer number : pruned) {
            chain = chain.chain(() -> audit.success(SecretAudit.VERSION_DESTROYED, secret, number, event -> event
                    .detail("reason", "maxVersions")
                    .detail("maxVersions", secret.maxVersions)));
        }
        return chain;
    }
}
