package dev.strongroom.sharing.service;

import dev.strongroom.common.id.UuidV7;
import dev.strongroom.common.persistence.Deadlocks;
import dev.strongroom.common.problem.MessagelessFailure;
import dev.strongroom.common.problem.ProblemException;
import dev.strongroom.common.problem.Problems;
import dev.strongroom.crypto.DecryptionFailedException;
import dev.strongroom.crypto.Tokens;
import dev.strongroom.crypto.passwords.Argon2Parameters;
import dev.strongroom.crypto.passwords.PasswordHasher;
import dev.strongroom.crypto.share.ShareCipher;
import dev.strongroom.security.Caller;
import dev.strongroom.sharing.Share;
import dev.strongroom.sharing.ShareProblems;
import dev.strongroom.sharing.ShareState;
import dev.strongroom.sharing.client.SecretsClient;
import dev.strongroom.sharing.config.SharingConfig;
import dev.strongroom.sharing.repository.ShareRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Share links: create (value from secrets-service, sealed under a fresh key that only the link carries), list,
 * revoke, open and reveal. Spending a view is one conditional UPDATE in the transaction that also reads the
 * ciphertext, ends a used-up share and stores the {@code share.opened} event; so N concurrent opens of a share with
 * k views left give exactly k successes. Passphrase checks reserve a try atomically before the Argon2id check, so
 * parallel guessers together never get more than the allowed tries.
 */
@ApplicationScoped
public class ShareService {

    private static final Logger LOG = Logger.getLogger(ShareService.class);

    /** A link token: 256 bits as base64url without padding. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    @Inject
    ShareRepository shares;

    @Inject
    SecretsClient secrets;

    @Inject
    ShareAudit audit;

    @Inject
    ShareMetrics metrics;

    @Inject
    ShareNotifier notifier;

    @Inject
    SharingConfig config;

    private PasswordHasher hasher;

    @jakarta.annotation.PostConstruct
    void init() {
        SharingConfig.Argon2 a = config.argon2();
        hasher = new PasswordHasher(new Argon2Parameters(a.memoryKib(), a.iterations(), a.parallelism()));
    }

    /** A new share and its link (the only place the token and key ever are). {@code toString} hides the link. */
    public record Created(Share share, String url) {
        @Override
        public String toString() {
            return "Created[" + share + "]";
        }
    }

    /** What an open gives: the ciphertext (open) or the value (reveal), and the views left. {@code toString} hides both. */
    public record Opened(UUID shareId, byte[] ciphertext, String value, int viewsLeft) {
        @Override
        public String toString() {
            return "Opened[" + shareId + ", viewsLeft=" + viewsLeft + "]";
        }
    }

    /** A page of the caller's shares. */
    public record Page(List<Share> shares, UUID next) {}

    public Uni<Created> create(Caller caller, String userToken, ShareRequest request) {
        return secrets.shareValue(userToken, request.secretId(), request.version())
                .chain(value -> passphraseHash(request.passphrase())
                        .map(hash -> prepare(caller, request, value, hash)))
                .call(prepared -> Panache.withTransaction(() -> shares.persist(prepared.share())
                        .chain(() -> audit.success(ShareAudit.CREATED, prepared.share(), e -> e
                                .detail("maxViews", prepared.share().maxViews)
                                .detail("ttlSeconds", request.ttlSeconds())
                                .detail("expiresAt", Times.instant(prepared.share().expiresAt).toString())
                                .detail("passphraseEnabled", prepared.share().passphraseHash != null)))))
                .invoke(prepared -> metrics.created())
                .invoke(prepared -> notifier.created(prepared.share()));
    }

    private Uni<String> passphraseHash(String passphrase) {
        if (passphrase == null) {
            return Uni.createFrom().nullItem();
        }
        return Blocking.run(() -> hasher.hash(passphrase));
    }

    private Created prepare(Caller caller, ShareRequest request, SecretsClient.ShareValue value, String passphraseHash) {
        Share share = new Share();
        share.id = UuidV7.next();
        String token = Tokens.newToken();
        byte[] key = ShareCipher.newKey();
        share.tokenHash = Tokens.hash(token);
        share.ciphertext = ShareCipher.seal(key, share.id, value.value().getBytes(StandardCharsets.UTF_8));
        share.secretId = request.secretId();
        share.secretVersion = value.version();
        share.secretName = value.name();
        share.environment = value.environment();
        share.createdById = caller.id();
        share.createdBy = caller.principal();
        share.notifyEmail = request.notifyEmail();
        share.createdAt = Times.now();
        share.expiresAt = share.createdAt.plusSeconds(request.ttlSeconds());
        share.maxViews = request.maxViews();
        share.viewsLeft = request.maxViews();
        share.state = ShareState.ACTIVE.value();
        share.passphraseHash = passphraseHash;
        String base = config.publicUrl().toString().replaceAll("/+$", "");
        return new Created(share, base + "/s/" + token + "#" + ShareCipher.encodeKey(key));
    }

    public Uni<Page> list(Caller caller, UUID after, int limit) {
        return Panache.withSession(() -> shares.listByCreator(caller.id(), after, limit + 1))
                .map(found -> found.size() > limit
                        ? new Page(found.subList(0, limit), found.get(limit - 1).id)
                        : new Page(found, null));
    }

    /** Revokes the share (creator or admin; anyone else gets 404). Revoking an ended share changes nothing. */
    public Uni<Void> revoke(Caller caller, UUID id) {
        return AfterCommit.transaction(after -> shares.findById(id)
                        .chain(share -> {
                            if (share == null || !(caller.id().equals(share.createdById) || caller.hasRole("admin"))) {
                                return Uni.createFrom().failure(ShareProblems.notFound());
                            }
                            return shares.end(id, ShareState.REVOKED.value(), "1 = 1", Times.now())
                                    .chain(ended -> ended == 1
                                            ? audit.success(ShareAudit.REVOKED, share, e -> e.detail("viewsLeft", share.viewsLeft))
                                                    .invoke(() -> after.count(() -> metrics.ended(ShareState.REVOKED.value())))
                                            : Uni.createFrom().voidItem());
                        }));
    }

    /** Spends a view and answers the ciphertext (the recipient's browser decrypts it). */
    public Uni<Opened> open(String token, String passphrase) {
        return openWith(token, passphrase, null);
    }

    /** Spends a view and answers the value, decrypted with the link's key here (clients without a browser). */
    public Uni<Opened> reveal(String token, String key, String passphrase) {
        byte[] keyBytes = ShareCipher.decodeKey(key);
        if (keyBytes == null) {
            return Uni.createFrom().failure(Problems.ValidationFailed.of("key", "must be the 43-character key after # in the link"));
        }
        return openWith(token, passphrase, keyBytes);
    }

    private Uni<Opened> openWith(String token, String passphrase, byte[] key) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            metrics.refused("unknown");
            return Uni.createFrom().failure(ShareProblems.notFound());
        }
        String via = key == null ? "open" : "reveal";
        return Panache.withSession(() -> shares.findByTokenHash(Tokens.hash(token)))
                .onFailure().transform(ShareService::unexpected)
                .chain(share -> {
                    if (share == null) {
                        metrics.refused("unknown");
                        return Uni.createFrom().failure(ShareProblems.notFound());
                    }
                    return openable(share, via)
                            .chain(() -> key == null ? Uni.createFrom().voidItem() : keyOpens(share, key, via))
                            .chain(() -> passphrase(share, passphrase, via))
                            .chain(reserved -> spend(share, via, reserved))
                            .map(spent -> key == null
                                    ? new Opened(share.id, spent.ciphertext(), null, spent.viewsLeft())
                                    : new Opened(share.id, null, decrypt(key, share.id, spent.ciphertext()), spent.viewsLeft()))
                            .onFailure().transform(ShareService::unexpected);
                });
    }

    /** Fails with 410 (audited) unless the share is active and unexpired; ends an expired one on the way. */
    private Uni<Void> openable(Share share, String via) {
        ShareState state = ShareState.of(share.state);
        LocalDateTime now = Times.now();
        if (state == ShareState.ACTIVE && share.expiresAt.isAfter(now)) {
            return Uni.createFrom().voidItem();
        }
        ShareState reason = state == ShareState.ACTIVE ? ShareState.EXPIRED : state;
        return AfterCommit.transaction(after -> expireIfDue(share, now, after)
                        .chain(() -> refuse(share, reason.value(), via, after)))
                .chain(() -> Uni.createFrom().failure(ShareProblems.gone(reason)));
    }

    /**
     * Ends the share as expired when it is active and past its expiry, with its {@code share.expired} event; in the
     * caller's transaction, counted once that committed.
     */
    Uni<Void> expireIfDue(Share share, LocalDateTime now, AfterCommit after) {
        return shares.end(share.id, ShareState.EXPIRED.value(), "expires_at <= :now", now)
                .chain(ended -> ended == 1
                        ? audit.success(ShareAudit.EXPIRED, share, e -> e.detail("viewsLeft", share.viewsLeft))
                                .invoke(() -> after.count(() -> metrics.ended(ShareState.EXPIRED.value())))
                        : Uni.createFrom().voidItem());
    }

    private Uni<Void> keyOpens(Share share, byte[] key, String via) {
        try {
            ShareCipher.open(key, share.id, share.ciphertext);
            return Uni.createFrom().voidItem();
        } catch (DecryptionFailedException e) {
            return AfterCommit.transaction(after -> refuse(share, "wrong_key", via, after))
                    .chain(() -> Uni.createFrom().failure(ShareProblems.wrongKey()));
        }
    }

    /**
     * Checks the passphrase when the share has one: reserves a try (at most the allowed tries are spent or in flight),
     * runs Argon2id off the event loop, then settles: a wrong one counts and may burn the share. Completes with
     * whether a reservation is open (settled by {@link #spend}).
     */
    private Uni<Boolean> passphrase(Share share, String passphrase, String via) {
        if (share.passphraseHash == null) {
            return Uni.createFrom().item(false);
        }
        if (passphrase == null || passphrase.isEmpty()) {
            return AfterCommit.transaction(after -> refuse(share, "passphrase_required", via, after))
                    .chain(() -> Uni.createFrom().failure(new ShareProblems.PassphraseRequired()));
        }
        int max = config.maxPassphraseTries();
        // concurrent guesses on one share lock its row and index entries in different orders: a deadlock's victim runs again
        return Deadlocks.retried(() -> Panache.withTransaction(() -> shares.reserveTry(share.id, max, Times.now())))
                .chain(reserved -> reserved == 1 ? Uni.createFrom().voidItem() : refusedReservation(share, via))
                .chain(() -> Blocking.run(() -> hasher.verify(passphrase, share.passphraseHash)))
                .chain(right -> right ? Uni.createFrom().item(true) : wrongPassphrase(share, via, max));
    }

    private Uni<Void> refusedReservation(Share share, String via) {
        return Panache.withSession(() -> shares.stateOf(share.id))
                .chain(state -> {
                    ShareState now = state == null ? ShareState.BURNT : ShareState.of(state);
                    if (now == ShareState.ACTIVE) {
                        metrics.refused("busy");
                        return Uni.createFrom().failure(new Problems.RateLimited(1));
                    }
                    return AfterCommit.transaction(after -> refuse(share, now.value(), via, after))
                            .chain(() -> Uni.createFrom().failure(ShareProblems.gone(now)));
                });
    }

    private Uni<Boolean> wrongPassphrase(Share share, String via, int max) {
        LocalDateTime now = Times.now();
        return AfterCommit.transaction(after -> shares.settleTry(share.id, true)
                        .chain(() -> shares.failedTries(share.id))
                        .chain(failed -> shares.end(share.id, ShareState.BURNT.value(), "failed_tries >= " + max, now)
                                .chain(burnt -> refuse(share, "wrong_passphrase", via, after)
                                        .chain(() -> burnt == 1
                                                ? audit.success(ShareAudit.BURNT, share, e -> e.detail("failedTries", failed))
                                                        .invoke(() -> after.count(() -> metrics.ended(ShareState.BURNT.value())))
                                                        .replaceWith(-1)
                                                : Uni.createFrom().item(Math.max(0, max - failed))))))
                .invoke(left -> {
                    if (left < 0) {
                        notifier.burnt(share);
                    }
                })
                .chain(left -> Uni.createFrom().failure(left < 0
                        ? ShareProblems.gone(ShareState.BURNT)
                        : new ShareProblems.PassphraseWrong(left)));
    }

    /**
     * Spends one view: the conditional UPDATE decides; the same transaction reads the ciphertext, ends a used-up
     * share (deleting its ciphertext) and stores {@code share.opened}. A share that ran out meanwhile answers 410.
     */
    private Uni<ShareRepository.Spent> spend(Share share, String via, boolean reserved) {
        LocalDateTime now = Times.now();
        // a deadlock's victim was rolled back whole (the view not spent, no event): run it again
        return AfterCommit.transaction(after -> (reserved ? shares.settleTry(share.id, false) : Uni.createFrom().item(0))
                        .chain(() -> shares.spendView(share.id, now))
                        .chain(won -> won == 1 ? spent(share, via, now) : lost(share, via, now, after)))
                .chain(spent -> spent == null
                        ? Panache.withSession(() -> shares.stateOf(share.id))
                                .chain(state -> Uni.createFrom().<ShareRepository.Spent>failure(ShareProblems.gone(
                                        state == null || ShareState.of(state) == ShareState.ACTIVE ? ShareState.USED : ShareState.of(state))))
                        : Uni.createFrom().item(spent))
                .invoke(spent -> metrics.opened(via))
                .invoke(spent -> {
                    if (spent.viewsLeft() == 0) {
                        metrics.ended(ShareState.USED.value());
                    }
                    notifier.opened(share, spent.viewsLeft());
                });
    }

    private Uni<ShareRepository.Spent> spent(Share share, String via, LocalDateTime now) {
        return shares.spent(share.id)
                .call(spent -> spent.viewsLeft() == 0
                        ? shares.end(share.id, ShareState.USED.value(), "views_left = 0", now)
                        : Uni.createFrom().voidItem())
                .call(spent -> audit.success(ShareAudit.OPENED, share, e -> e
                        .detail("viewsLeft", spent.viewsLeft())
                        .detail("via", via)));
    }

    /** The view went to someone else: the share is used up (or expired, or ended) — audited, answered by the caller. */
    private Uni<ShareRepository.Spent> lost(Share share, String via, LocalDateTime now, AfterCommit after) {
        return shares.stateOf(share.id)
                .chain(state -> {
                    ShareState current = state == null ? ShareState.USED : ShareState.of(state);
                    if (current == ShareState.ACTIVE) {
                        return expireIfDue(share, now, after)
                                .chain(() -> refuse(share, share.expiresAt.isAfter(now) ? "used_up" : "expired", via, after));
                    }
                    return refuse(share, current == ShareState.USED ? "used_up" : current.value(), via, after);
                })
                .replaceWith((ShareRepository.Spent) null);
    }

    /** The refused open's audit event, in the caller's transaction; counted once that committed. */
    private Uni<Void> refuse(Share share, String reason, String via, AfterCommit after) {
        String code = reason.equals("used") ? "used_up" : reason;
        return audit.refused(share, code, e -> e.detail("via", via)).invoke(() -> after.count(() -> metrics.refused(code)));
    }

    /**
     * An unexpected failure of a public open: logged here without the request path (it holds the link token) or any
     * message, and answered 503; problems pass through.
     */
    private static Throwable unexpected(Throwable failure) {
        if (failure instanceof ProblemException) {
            return failure;
        }
        LOG.errorf(MessagelessFailure.of(failure), "A share open failed unexpectedly");
        return new ShareProblems.OpenUnavailable();
    }

    private static String decrypt(byte[] key, UUID id, byte[] ciphertext) {
        return new String(ShareCipher.open(key, id, ciphertext), StandardCharsets.UTF_8);
    }
}
