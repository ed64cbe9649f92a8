package dev.strongroom.auth.service;

import dev.strongroom.auth.User;
import dev.strongroom.auth.config.AuthConfig;
import dev.strongroom.common.audit.AuditOutbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDateTime;

/**
 * The account lockout: every failed proof of identity (a password at login or enrolment, a one-time code at
 * login, MFA confirmation or removal) counts; at the threshold the account locks for a delay that doubles
 * with every further failure. Runs in the caller's transaction with the user row locked.
 */
@ApplicationScoped
public class Lockouts {

    @Inject
    AuthConfig config;
    @Inject
    AuditOutbox audit;

    /** Counts one failure, audited as {@code action} (e.g. user.login_failed) with {@code reason}; locks at the threshold. */
    Uni<Void> countFailure(User user, String action, String reason) {
        AuthConfig.Lockout lockout = config.lockout();
        user.failedLogins++;
        user.updatedAt = Times.now();
        Uni<?> recorded = audit.record(Audits.about(action, user)
                .failure(reason)
                .detail("failedLogins", user.failedLogins));
        if (user.failedLogins >= lockout.threshold()) {
            int doublings = Math.min(user.failedLogins - lockout.threshold(), 20);
            Duration delay = lockout.initialDelay().multipliedBy(1L << doublings);
            if (delay.compareTo(lockout.maxDelay()) > 0) {
                delay = lockout.maxDelay();
            }
            user.lockedUntil = Times.now().plus(delay);
            long seconds = delay.toSeconds();
            recorded = recorded.chain(() -> audit.record(Audits.about("user.locked", user)
                    .failure("too many failed logins")
                    .detail("failedLogins", user.failedLogins)
                    .detail("lockSeconds", seconds)));
        }
        return recorded.replaceWithVoid();
    }

    /** Seconds the account stays locked, 0 when it is not. */
    static long lockedFor(User user, LocalDateTime now) {
        if (user.lockedUntil == null || !user.lockedUntil.isAfter(now)) {
            return 0;
        }
        return Math.max(1, Duration.between(now, user.lockedUntil).toSeconds() + 1);
    }
}
