package dev.strongroom.secrets.value;

import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.problem.ProblemException;
import dev.strongroom.common.problem.Problems;
import dev.strongroom.secrets.Permission;
import dev.strongroom.secrets.Secret;
import dev.strongroom.secrets.SecretVersion;
import dev.strongroom.secrets.access.Access;
import dev.strongroom.secrets.access.Guard;
import dev.strongroom.secrets.access.SecretLocks;
import dev.strongroom.secrets.access.Verdict;
import dev.strongroom.secrets.config.SecretsConfig;
import dev.strongroom.secrets.repository.AccessQuery;
import dev.strongroom.secrets.repository.Found;
import dev.strongroom.secrets.repository.SecretVersionRepository;
import dev.strongroom.secrets.support.SecretAudit;
import dev.strongroom.secrets.support.SecretMetrics;
import dev.strongroom.secrets.support.SecretProblems;
import dev.strongroom.secrets.support.SecretRules;
import dev.strongroom.secrets.support.Times;
import dev.strongroom.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Secret values: reveal (by id, by environment and name, in batches), write and roll back.
 * A reveal is one query for secret, version and the caller's grants ({@link AccessQuery}, on the pool
 * without a Hibernate session); the value decrypted (a cached
 * data key needs no key-service call); its {@code secret.read} event committed, grouped with concurrent
 * reveals' events ({@code reveal-audit=group}, the default) or in a transaction of its own
 * ({@code reveal-audit=transaction}). The value leaves only after its event is committed.
 */
@ApplicationScoped
public class SecretValueService {

    @Inject
    SecretVersionRepository versions;

    @Inject
    AccessQuery lookup;

    @Inject
    SecretCrypto crypto;

    @Inject
    SecretAudit audit;

    @Inject
    Guard guard;

    @Inject
    VersionWriter writer;

    @Inject
    SecretLocks locks;

    @Inject
    SecretMetrics metrics;

    @Inject
    SecretsConfig config;

    /** A revealed value and the version and secret it belongs to. {@code toString} hides the value. */
    public record Revealed(String value, SecretVersion version, Secret secret, String accessVia) {
        @Override
        public String toString() {
            return "Revealed[" + secret + " v" + version.version + ", value=********]";
        }
    }

    /** Result of a batch read; see {@code BatchGetResponse}. */
    public record Batch(Map<String, Revealed> values, List<String> missing, List<String> expired) {
        @Override
        public String toString() {
            return "Batch[values=" + values.keySet() + ", missing=" + missing + ", expired=" + expired + "]";
        }
    }

    public Uni<Revealed> reveal(Caller caller, UUID id, Integer version) {
        long start = System.nanoTime();
        List<String> principals = Access.principalsOf(caller);
        return timed("id", start, revealOne(lookup.byId(id, version, principals), caller, version, Permission.READ));
    }

    /**
     * The value for a share link: needs SHARE (not READ) of the caller, whose token sharing-service
     * forwards. Audited as {@code secret.read} with purpose {@code share}.
     */
    public Uni<Revealed> revealForShare(Caller caller, UUID id, Integer version) {
        long start = System.nanoTime();
        List<String> principals = Access.principalsOf(caller);
        return timed("share", start, revealOne(lookup.byId(id, version, principals), caller, version, Permission.SHARE));
    }

    public Uni<Revealed> revealByName(Caller caller, String environment, String name, Integer version) {
        long start = System.nanoTime();
        if (!SecretRules.NAME.matcher(name).matches() || !SecretRules.ENVIRONMENT.matcher(environment).matches()) {
            metrics.read("name", "not_found");
            return Uni.createFrom().failure(SecretProblems.secretNotFound());
        }
        List<String> principals = Access.principalsOf(caller);
        return timed("name", start, revealOne(lookup.byName(environment, name, version, principals), caller, version, Permission.READ));
    }

    public Uni<Batch> batch(Caller caller, String environment, List<String> requested) {
        List<String> names = validateBatch(environment, requested);
        return lookup.byNames(environment, names, Access.principalsOf(caller))
                .chain(found -> Panache.withTransaction(() -> Multi.createFrom().iterable(names)
                        .onItem().transformToUniAndConcatenate(name -> reveal(caller, found.get(name), null)
                                .map(outcome -> Map.entry(name, outcome)))
                        .collect().asList()))
                .map(this::toBatch);
    }

    public Uni<SecretVersion> write(Caller caller, UUID id, String value, Integer cas) {
        return metrics.counted("write", () -> {
            byte[] bytes = SecretRules.value(value, config);
            if (cas != null && cas < 0) {
                throw Problems.ValidationFailed.of("cas", "must be a version number");
            }
            return locks.locked(caller, id, Guard.Need.permission(Permission.WRITE), "write-value",
                    (secret, access) -> {
                        if (cas != null && cas != secret.currentVersion) {
                            return Uni.createFrom().failure(SecretProblems.casMismatch(cas, secret.currentVersion));
                        }
                        return writer.add(secret, bytes, SecretVersion.Origin.WRITE, null, caller.principal())
                                .call(version -> audit.success(SecretAudit.UPDATED, secret, version.version));
                    });
        });
    }

    /** A new version holding an earlier version's value; needs ROTATE, not READ (the value never leaves). */
    public Uni<SecretVersion> rollback(Caller caller, UUID id, Integer from) {
        return metrics.counted("rollback", () -> {
            if (from == null || from < 1) {
                throw Problems.ValidationFailed.of("version", "must be a version number");
            }
            return locks.locked(caller, id, Guard.Need.permission(Permission.ROTATE), "rollback",
                    (secret, access) -> versions.findVersion(id, from)
                            .chain(old -> {
                                if (old == null) {
                                    return Uni.createFrom().failure(SecretProblems.versionNotFound(from));
                                }
                                if (old.destroyed()) {
                                    return Uni.createFrom().failure(new SecretProblems.VersionDestroyed(from));
                                }
                                return crypto.open(secret.id, old.version, secret.environment, old.ciphertext)
                                        .chain(plain -> writer.add(secret, plain, SecretVersion.Origin.ROLLBACK, from, caller.principal()))
                                        .call(version -> audit.success(SecretAudit.ROLLED_BACK, secret, version.version,
                                                event -> event.detail("fromVersion", from)));
                            }));
        });
    }

    // --- reveal

    /** A batch reveals in one transaction: its events commit with it. */
    private Uni<Verdict<Revealed>> reveal(Caller caller, Found found, Integer requested) {
        return reveal(caller, found, requested, Permission.READ, false);
    }

    /**
     * Reveals with READ (a read) or SHARE (sharing-service taking the value for a share link); {@code grouped}:
     * the success event is left to the caller ({@link #revealOne}), else it joins the transaction.
     */
    private Uni<Verdict<Revealed>> reveal(Caller caller, Found found, Integer requested, Permission needed, boolean grouped) {
        Secret secret = found == null ? null : found.secret();
        return guard.decide(caller, secret, found == null ? 0 : found.grantedBits(), Guard.Need.permission(needed),
                needed == Permission.SHARE ? "share" : "read", access -> open(found, access, requested, needed, grouped));
    }

    /**
     * One reveal of what the access query found, per {@code reveal-audit}. {@code transaction}: decryption and
     * event in one transaction. {@code group}: when the query found a value the caller may read (the fast path),
     * that value is decrypted and its success event group-committed, and only then handed on. Everything else
     * (absent, refused, expired, destroyed: the outcomes with events of their own) is decided by the guard in a
     * session without a transaction (refusals and their events as before), then any success event group-committed
     * once the session has given its connection back. (Waiting for the group while holding a connection could
     * starve the pool the group's insert needs.)
     */
    private Uni<Verdict<Revealed>> revealOne(Uni<Found> query, Caller caller, Integer version, Permission needed) {
        return query.chain(found -> {
            if (!grouped()) {
                return Panache.withTransaction(() -> reveal(caller, found, version, needed, false));
            }
            Access access = servable(found, caller, needed);
            if (access != null) {
                return decrypt(found, access)
                        .chain(revealed -> commitReadEvent(Verdict.ok(revealed), needed));
            }
            return Panache.withSession(() -> reveal(caller, found, version, needed, true))
                    .chain(verdict -> commitReadEvent(verdict, needed));
        });
    }

    /** The caller's access when the fast path may serve the value itself; null for every other outcome. */
    private static Access servable(Found found, Caller caller, Permission needed) {
        if (found == null || found.secret().deleted() || found.version() == null || found.version().destroyed()
                || found.secret().expiredAt(Times.now())) {
            return null;
        }
        Access access = Access.of(caller, found.secret(), found.grantedBits());
        return access.has(needed) ? access : null;
    }

    private Uni<Revealed> decrypt(Found found, Access access) {
        Secret secret = found.secret();
        SecretVersion version = found.version();
        return crypto.open(secret.id, version.version, secret.environment, version.ciphertext)
                .map(plain -> new Revealed(new String(plain, StandardCharsets.UTF_8), version, secret, access.via()));
    }

    private Uni<Verdict<Revealed>> commitReadEvent(Verdict<Revealed> outcome, Permission needed) {
        if (!(outcome instanceof Verdict.Ok<Revealed> ok)) {
            return Uni.createFrom().item(outcome);
        }
        Revealed revealed = ok.value();
        return audit.revealed(revealed.secret(), revealed.version().version, readDetails(revealed.accessVia(), needed))
                .replaceWith(outcome);
    }

    private static UnaryOperator<AuditEvent.Builder> readDetails(String accessVia, Permission needed) {
        return event -> event.detail("accessVia", accessVia)
                .detail("purpose", needed == Permission.SHARE ? "share" : "read");
    }

    private boolean grouped() {
        return config.revealAudit() == SecretsConfig.RevealAudit.GROUP;
    }

    private Uni<Verdict<Revealed>> open(Found found, Access access, Integer requested, Permission needed, boolean grouped) {
        Secret secret = found.secret();
        SecretVersion version = found.version();
        if (secret.expiredAt(Times.now())) {
            return audit.failure(SecretAudit.READ, secret, version == null ? null : version.version, "secret expired")
                    .replaceWith(Verdict.refused(new SecretProblems.SecretExpired()));
        }
        if (version == null) {
            return Uni.createFrom().item(Verdict.refused(SecretProblems.versionNotFound(requested == null ? secret.currentVersion : requested)));
        }
        if (version.destroyed()) {
            return audit.failure(SecretAudit.READ, secret, version.version, "version destroyed")
                    .replaceWith(Verdict.refused(new SecretProblems.VersionDestroyed(version.version)));
        }
        return decrypt(found, access)
                .call(opened -> grouped
                        ? Uni.createFrom().voidItem() // the caller group-commits the event once the session is closed
                        : audit.success(SecretAudit.READ, secret, version.version, readDetails(access.via(), needed)))
                .map(Verdict::ok);
    }

    private Uni<Revealed> timed(String via, long start, Uni<Verdict<Revealed>> reveal) {
        return reveal
                .map(Verdict::orThrow)
                .onItem().invoke(() -> {
                    metrics.read(via, "success");
                    metrics.revealed(start);
                })
                .onFailure().invoke(e -> metrics.read(via, SecretMetrics.outcomeOf(e)));
    }

    private List<String> validateBatch(String environment, List<String> requested) {
        SecretRules.Errors errors = new SecretRules.Errors();
        SecretRules.environment(environment, config, errors);
        if (requested == null || requested.isEmpty()) {
            errors.add("names", "must list at least one name");
        } else if (requested.size() > config.batchLimit()) {
            errors.add("names", "at most " + config.batchLimit() + " names");
        } else {
            for (int i = 0; i < requested.size(); i++) {
                if (requested.get(i) == null || !SecretRules.NAME.matcher(requested.get(i)).matches()) {
                    errors.add("names[" + i + "]", "must be 1-255 characters of [a-zA-Z0-9._/-]");
                }
            }
        }
        errors.throwIfAny();
        return List.copyOf(new LinkedHashSet<>(requested));
    }

    private Batch toBatch(List<Map.Entry<String, Verdict<Revealed>>> outcomes) {
        Map<String, Revealed> values = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, Verdict<Revealed>> entry : outcomes) {
            if (entry.getValue() instanceof Verdict.Ok<Revealed> ok) {
                values.put(entry.getKey(), ok.value());
                metrics.read("batch", "success");
            } else if (entry.getValue() instanceof Verdict.Refused<Revealed> refused) {
                ProblemException problem = refused.problem();
                if (problem instanceof SecretProblems.SecretExpired) {
                    expired.add(entry.getKey());
                } else {
                    missing.add(entry.getKey());
                }
                metrics.read("batch", SecretMetrics.outcomeOf(problem));
            }
        }
        return new Batch(values, missing, expired);
    }
}
