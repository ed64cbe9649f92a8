package dev.strongroom.auth.service;

import dev.strongroom.auth.RefreshToken;
import dev.strongroom.auth.Roles;
import dev.strongroom.auth.Session;
import dev.strongroom.auth.User;
import dev.strongroom.auth.config.AuthConfig;
import dev.strongroom.auth.repository.RecoveryCodeRepository;
import dev.strongroom.auth.repository.RefreshTokenRepository;
import dev.strongroom.auth.repository.SessionRepository;
import dev.strongroom.auth.repository.UserRepository;
import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.audit.AuditOutbox;
import dev.strongroom.common.audit.AuditTarget;
import dev.strongroom.common.id.UuidV7;
import dev.strongroom.common.problem.Problems;
import dev.strongroom.crypto.Tokens;
import dev.strongroom.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;

/** People's accounts: registration, password login with MFA and lockout, refresh-token rotation, logout. */
@ApplicationScoped
public class AccountService {

    /** Result of the password check done off the event loop, before the transaction. */
    record PasswordCheck(String userId, boolean matches, String newHash) {
        @Override
        public String toString() {
            return "PasswordCheck[" + userId + ", " + matches + "]";
        }
    }

    @Inject
    AuthConfig config;
    @Inject
    UserRepository users;
    @Inject
    SessionRepository sessions;
    @Inject
    RefreshTokenRepository refreshTokens;
    @Inject
    RecoveryCodeRepository recoveryCodes;
    @Inject
    AuditOutbox audit;
    @Inject
    SessionRevoker revoker;
    @Inject
    TokenIssuer issuer;
    @Inject
    Passwords passwords;
    @Inject
    Blocking blocking;
    @Inject
    MfaService mfa;
    @Inject
    Lockouts lockouts;

    // --- registration

    public Uni<User> register(String username, String rawPassword, String email) {
        String password = PasswordPolicy.normalize(rawPassword);
        String problem = passwords.problem(password, username);
        if (problem != null) {
            return Uni.createFrom().failure(Problems.ValidationFailed.of("password", problem));
        }
        return Panache.withSession(() -> users.findByUsername(username))
                .invoke(existing -> {
                    if (existing != null) {
                        throw usernameTaken();
                    }
                })
                .chain(() -> blocking.run(() -> passwords.hash(password)))
                .chain(hash -> Panache.withTransaction(() -> create(username, email, hash, Set.of(Roles.USER), false)))
                .onFailure(AccountService::isDuplicate).transform(e -> usernameTaken());
    }

    /** Stores a new account and its user.registered event (in the caller's transaction). */
    Uni<User> create(String username, String email, String hash, Set<String> roles, boolean bootstrap) {
        LocalDateTime now = Times.now();
        User user = new User();
        user.id = UuidV7.next().toString();
        user.username = username;
        user.usernameKey = UserRepository.key(username);
        user.email = email;
        user.passwordHash = hash;
        user.roles = Roles.format(roles);
        user.passwordChangedAt = now;
        user.createdAt = now;
        user.updatedAt = now;
        return users.persist(user)
                .call(saved -> audit.record(Audits.about("user.registered", saved)
                        .detail("roles", List.copyOf(saved.roleSet()))
                        .detail("bootstrap", bootstrap)));
    }

    // --- login

    public Uni<AuthTokens> login(String username, String rawPassword, String totp, String ip, String userAgent) {
        String password = PasswordPolicy.normalize(rawPassword);
        return Panache.withSession(() -> users.findByUsername(username))
                .chain(user -> blocking.run(() -> checkPassword(user, password)))
                .chain(check -> Panache.withTransaction(() -> settleLogin(username, check, totp, ip, userAgent)))
                .invoke(attempt -> revoker.committed(attempt.revoked()))
                .map(Attempt::orThrow)
                .map(this::sign);
    }

    private PasswordCheck checkPassword(User user, String password) {
        if (user == null) {
            return new PasswordCheck(null, passwords.verifyUnknownUser(password), null);
        }
        boolean matches = passwords.verify(password, user.passwordHash);
        if (lockedFor(user, Times.now()) > 0) {
            // verified all the same: a locked account takes as long as any other to refuse
            return new PasswordCheck(user.id, false, null);
        }
        String newHash = matches && passwords.needsRehash(user.passwordHash) ? passwords.hash(password) : null;
        return new PasswordCheck(user.id, matches, newHash);
    }

    private Uni<Attempt<Issued>> settleLogin(String username, PasswordCheck check, String totp, String ip, String userAgent) {
        if (check.userId() == null) {
            return audit.record(AuditEvent.of("user.login_failed")
                            .actor(Audits.claimed(username))
                            .failure("bad credentials")
                            .detail("knownUser", false))
                    .replaceWith(Attempt.refused(new AuthProblems.InvalidCredentials()));
        }
        return users.findByIdForUpdate(check.userId())
                .chain(user -> settleKnownLogin(user, check, totp, ip, userAgent));
    }

    private Uni<Attempt<Issued>> settleKnownLogin(User user, PasswordCheck check, String totp, String ip, String userAgent) {
        LocalDateTime now = Times.now();
        long locked = lockedFor(user, now);
        if (locked > 0) {
            // answered exactly like a wrong password (no user enumeration); admins see lockedUntil, the log says why
            return audit.record(Audits.about("user.login_failed", user)
                            .failure("account locked")
                            .detail("lockSeconds", locked))
                    .replaceWith(Attempt.refused(new AuthProblems.InvalidCredentials()));
        }
        if (!check.matches()) {
            return failedLogin(user, "bad credentials");
        }
        if (user.disabled) {
            return audit.record(Audits.about("user.login_failed", user).failure("account disabled"))
                    .replaceWith(Attempt.refused(new AuthProblems.InvalidCredentials()));
        }
        if (!user.mfaEnabled()) {
            return succeed(user, check, "password", ip, userAgent);
        }
        if (totp == null || totp.isBlank()) {
            return audit.record(Audits.about("user.login_failed", user).failure("mfa required"))
                    .replaceWith(Attempt.refused(new AuthProblems.MfaRequired()));
        }
        return mfa.consumeCode(user, totp)
                .chain(method -> method == null
                        ? failedLogin(user, "invalid one-time code")
                        : succeed(user, check, method, ip, userAgent))
                // key-service could not open the TOTP secret: the code went unchecked, so it is audited but
                // not counted towards the lockout, and the caller gets 503 mfa-unavailable.
                .onFailure(AuthProblems.MfaUnavailable.class).recoverWithUni(unavailable -> audit.record(
                                Audits.about("user.login_failed", user).failure("mfa unavailable"))
                        .replaceWith(Attempt.refused((AuthProblems.MfaUnavailable) unavailable)));
    }

    private Uni<Attempt<Issued>> succeed(User user, PasswordCheck check, String method, String ip, String userAgent) {
        user.failedLogins = 0;
        user.lockedUntil = null;
        if (check.newHash() != null) {
            user.passwordHash = check.newHash();
        }
        user.updatedAt = Times.now();
        return newSession(user, ip, userAgent)
                .call(issued -> audit.record(Audits.about("user.login", user)
                        .detail("sessionId", issued.sessionId())
                        .detail("mfaMethod", method)
                        .detail("rehashed", check.newHash() != null)))
                .map(Attempt::ok);
    }

    /** Counts a failure towards the lockout (in this transaction) and refuses like any bad credentials. */
    private Uni<Attempt<Issued>> failedLogin(User user, String reason) {
        return lockouts.countFailure(user, "user.login_failed", reason)
                .replaceWith(Attempt.refused(new AuthProblems.InvalidCredentials()));
    }

    static long lockedFor(User user, LocalDateTime now) {
        return Lockouts.lockedFor(user, now);
    }

    private Uni<Issued> newSession(User user, String ip, String userAgent) {
        Session session = new Session();
        session.id = UuidV7.next().toString();
        session.userId = user.id;
        session.createdAt = Times.now();
        session.ip = ip;
        session.userAgent = userAgent == null || userAgent.length() <= 256 ? userAgent : userAgent.substring(0, 256);
        return sessions.persist(session)
                .chain(saved -> newRefreshToken(saved))
                .map(token -> new Issued(user.id, user.username, user.roleSet(), session.id, token));
    }

    /** A refresh token of the session, expiring after its TTL but never after the session's absolute end. */
    private Uni<String> newRefreshToken(Session session) {
        String token = Tokens.newToken();
        RefreshToken row = new RefreshToken();
        row.tokenHash = Tokens.hash(token);
        row.sessionId = session.id;
        row.createdAt = Times.now();
        LocalDateTime byTtl = row.createdAt.plus(config.refreshTokenTtl());
        LocalDateTime sessionEnd = sessionEnd(session);
        row.expiresAt = byTtl.isAfter(sessionEnd) ? sessionEnd : byTtl;
        return refreshTokens.persist(row).replaceWith(token);
    }

    private AuthTokens sign(Issued issued) {
        TokenIssuer.AccessToken access = issuer.issue(issued.userId(), issued.username(), "user", issued.roles(), issued.sessionId());
        return new AuthTokens(access.token(), access.expiresIn(), issued.refreshToken());
    }

    // --- refresh

    public Uni<AuthTokens> refresh(String token) {
        byte[] hash = Tokens.hash(token);
        return Panache.withTransaction(() -> refreshTokens.findByHashForUpdate(hash)
                        .chain(this::rotate))
                .invoke(attempt -> revoker.committed(attempt.revoked()))
                .map(Attempt::orThrow)
                .map(this::sign);
    }

    private Uni<Attempt<Issued>> rotate(RefreshToken presented) {
        if (presented == null) {
            return Uni.createFrom().item(Attempt.refused(new AuthProblems.InvalidRefreshToken()));
        }
        return sessions.findByIdForUpdate(presented.sessionId)
                .chain(session -> users.findById(session.userId)
                        .chain(user -> rotate(presented, session, user)));
    }

    private Uni<Attempt<Issued>> rotate(RefreshToken presented, Session session, User user) {
        LocalDateTime now = Times.now();
        if (presented.usedAt != null) {
            // A used token again: it was stolen, or the client leaked it. The whole family goes.
            boolean wasLive = !session.revoked();
            String sid = revoker.revoke(session, "reuse_detected");
            return audit.record(AuditEvent.of("token.reuse_detected")
                            .actor(Audits.actor(user))
                            .resource(AuditTarget.of("session", session.id))
                            .failure("a rotated refresh token was presented again; session revoked")
                            .detail("sessionWasLive", wasLive))
                    .replaceWith(Attempt.refused(new AuthProblems.InvalidRefreshToken(), List.of(sid)));
        }
        if (session.revoked() || !presented.expiresAt.isAfter(now) || !sessionEnd(session).isAfter(now) || user.disabled) {
            // past the session's absolute lifetime, rotation cannot carry it on: the user logs in again
            return Uni.createFrom().item(Attempt.refused(new AuthProblems.InvalidRefreshToken()));
        }
        presented.usedAt = now;
        session.lastRefreshedAt = now;
        return newRefreshToken(session)
                .call(() -> audit.record(AuditEvent.of("token.refreshed")
                        .actor(Audits.actor(user))
                        .resource(AuditTarget.of("session", session.id))))
                .map(token -> Attempt.ok(new Issued(user.id, user.username, user.roleSet(), session.id, token)));
    }

    /** When a session ends however often its refresh token rotates (strongroom.auth.session-absolute-lifetime). */
    private LocalDateTime sessionEnd(Session session) {
        return session.createdAt.plus(config.sessionAbsoluteLifetime());
    }

    // --- logout, me, password change

    public Uni<Void> logout(Caller caller) {
        if (caller.sessionId() == null) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> sessions.findByIdForUpdate(caller.sessionId())
                        .chain(session -> {
                            if (session == null || !session.userId.equals(caller.id())) {
                                return Uni.createFrom().item(List.<String>of());
                            }
                            String sid = revoker.revoke(session, "logout");
                            return audit.record(AuditEvent.of("user.logout")
                                            .resource(AuditTarget.of("session", sid)))
                                    .replaceWith(List.of(sid));
                        }))
                .invoke(revoker::committed)
                .replaceWithVoid();
    }

    public Uni<User> me(Caller caller) {
        return Panache.withSession(() -> users.findById(caller.id()));
    }

    public Uni<Void> changePassword(Caller caller, String currentRaw, String newRaw) {
        String current = PasswordPolicy.normalize(currentRaw);
        String next = PasswordPolicy.normalize(newRaw);
        return Panache.withSession(() -> users.findById(caller.id()))
                .onItem().ifNull().failWith(() -> new Problems.NotFound("No such account."))
                .invoke(user -> {
                    String problem = passwords.problem(next, user.username);
                    if (problem != null) {
                        throw Problems.ValidationFailed.of("newPassword", problem);
                    }
                })
                .chain(user -> blocking.run(() -> passwords.verify(current, user.passwordHash) ? passwords.hash(next) : null))
                .onItem().ifNull().failWith(AuthProblems.InvalidCredentials::new)
                .chain(hash -> Panache.withTransaction(() -> users.findByIdForUpdate(caller.id())
                        .chain(user -> {
                            user.passwordHash = hash;
                            user.passwordChangedAt = Times.now();
                            user.updatedAt = user.passwordChangedAt;
                            return revoker.revokeAllOfUser(user.id, "password_changed")
                                    .call(sids -> audit.record(Audits.about("user.password_changed", user)
                                            .detail("sessionsRevoked", (long) sids.size())));
                        })))
                .invoke(revoker::committed)
                .replaceWithVoid();
    }

    static Problems.Conflict usernameTaken() {
        return new Problems.Conflict("username-taken", "That user name is taken.");
    }

    /** A unique-key violation from the database (a concurrent insert won). */
    static boolean isDuplicate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains("Duplicate entry") || message.contains("1062"))) {
                return true;
            }
        }
        return false;
    }
}
