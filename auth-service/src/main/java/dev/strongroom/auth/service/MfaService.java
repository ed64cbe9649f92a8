package dev.strongroom.auth.service;

import dev.strongroom.auth.RecoveryCode;
import dev.strongroom.auth.User;
import dev.strongroom.auth.config.AuthConfig;
import dev.strongroom.auth.repository.RecoveryCodeRepository;
import dev.strongroom.auth.repository.UserRepository;
import dev.strongroom.auth.service.TotpSecrets.Column;
import dev.strongroom.common.audit.AuditOutbox;
import dev.strongroom.common.id.UuidV7;
import dev.strongroom.common.problem.Problems;
import dev.strongroom.crypto.Tokens;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** TOTP enrolment, confirmation, removal, and checking codes at login (once per step; recovery codes once). */
@ApplicationScoped
public class MfaService {

    public static final int RECOVERY_CODES = 10;
    static final int SECRET_BYTES = 20;

    /** A started enrolment. */
    public record Enrolment(String secret, String otpauthUri, String qrPngBase64) {
        @Override
        public String toString() {
            return "Enrolment[********]";
        }
    }

    @Inject
    AuthConfig config;
    @Inject
    UserRepository users;
    @Inject
    RecoveryCodeRepository recoveryCodes;
    @Inject
    AuditOutbox audit;
    @Inject
    TotpSecrets secrets;
    @Inject
    Lockouts lockouts;
    @Inject
    Passwords passwords;
    @Inject
    Blocking blocking;

    static final String MFA_FAILED = "user.mfa_failed";

    /**
     * Starts an enrolment; the account's current password is required (a stolen access token alone cannot put
     * MFA of the thief's choosing on an account). A wrong password counts towards the lockout.
     */
    public Uni<Enrolment> start(String userId, String rawPassword) {
        return Panache.withSession(() -> users.findById(userId))
                .onItem().ifNull().failWith(() -> new Problems.NotFound("No such account."))
                .invoke(user -> {
                    if (rawPassword == null || rawPassword.isEmpty()) {
                        throw Problems.ValidationFailed.of("password", "give the account's current password to enrol");
                    }
                })
                .chain(user -> blocking.run(() -> passwords.verify(PasswordPolicy.normalize(rawPassword), user.passwordHash)))
                .chain(matches -> Panache.withTransaction(() -> users.findByIdForUpdate(userId)
                                .chain(user -> startChecked(user, matches))))
                .map(Attempt::orThrow);
    }

    private Uni<Attempt<Enrolment>> startChecked(User user, boolean passwordMatches) {
        if (Lockouts.lockedFor(user, Times.now()) > 0) {
            return audit.record(Audits.about(MFA_FAILED, user).failure("account locked").detail("operation", "enrol"))
                    .replaceWith(Attempt.refused(new AuthProblems.InvalidCredentials()));
        }
        if (!passwordMatches) {
            return lockouts.countFailure(user, MFA_FAILED, "bad password at enrolment")
                    .replaceWith(Attempt.refused(new AuthProblems.InvalidCredentials()));
        }
        if (user.mfaEnabled()) {
            return Uni.createFrom().item(Attempt.refused(
                    new Problems.Conflict("mfa-already-enabled", "TOTP is already enabled; disable it first.")));
        }
        byte[] secret = Tokens.randomBytes(SECRET_BYTES);
        return secrets.seal(user.id, Column.PENDING, secret)
                .invoke(sealed -> {
                    user.totpPendingSecret = sealed;
                    user.updatedAt = Times.now();
                })
                .map(sealed -> Attempt.ok(enrolment(user.username, Base32.encode(secret))))
                .eventually(() -> Arrays.fill(secret, (byte) 0));
    }

    Enrolment enrolment(String username, String secret) {
        String label = config.totp().issuerLabel();
        String uri = "otpauth://totp/" + encode(label) + ":" + encode(username) + "?secret=" + secret + "&issuer=" + encode(label)
                + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.STEP_SECONDS;
        return new Enrolment(secret, uri, Base64.getEncoder().encodeToString(QrCodes.png(uri, 256)));
    }

    /** Confirms the started enrolment with a code of it; a wrong code counts towards the lockout. */
    public Uni<List<String>> confirm(String userId, String code) {
        return Panache.withTransaction(() -> users.findByIdForUpdate(userId)
                        .onItem().ifNull().failWith(() -> new Problems.NotFound("No such account."))
                        .chain(user -> {
                            if (user.totpPendingSecret == null) {
                                throw new Problems.Conflict("no-enrolment", "Start an enrolment with POST /v1/auth/mfa/totp first.");
                            }
                            if (Lockouts.lockedFor(user, Times.now()) > 0) {
                                return refusedWhileLocked(user, "confirm");
                            }
                            return secrets.open(user.id, Column.PENDING, user.totpPendingSecret)
                                    .onFailure(TotpSecrets.UnreadableSecretException.class).transform(e -> new Problems.Conflict(
                                            "enrolment-unreadable", "The started enrolment cannot be read; start a new one."))
                                    .chain(secret -> {
                                        long step = Totp.matchingStep(secret, code, nowStep(), config.totp().driftSteps(), 0);
                                        if (step < 0) {
                                            Arrays.fill(secret, (byte) 0);
                                            return lockouts.countFailure(user, MFA_FAILED, "invalid one-time code at confirmation")
                                                    .replaceWith(Attempt.<List<String>>refused(wrongCode()));
                                        }
                                        // Re-sealed for the active column: the pending envelope is bound to its own column.
                                        return secrets.seal(user.id, Column.ACTIVE, secret)
                                                .eventually(() -> Arrays.fill(secret, (byte) 0))
                                                .chain(sealed -> enable(user, sealed, step))
                                                .map(Attempt::ok);
                                    });
                        }))
                .map(Attempt::orThrow);
    }

    private Uni<Attempt<List<String>>> refusedWhileLocked(User user, String operation) {
        return audit.record(Audits.about(MFA_FAILED, user).failure("account locked").detail("operation", operation))
                .replaceWith(Attempt.refused(wrongCode()));
    }

    /** A wrong code, and any code while the account is locked: 422 on the code field. */
    private static Problems.ValidationFailed wrongCode() {
        return Problems.ValidationFailed.of("code", "is not a valid one-time or recovery code");
    }

    private Uni<List<String>> enable(User user, byte[] sealedSecret, long step) {
        user.totpSecret = sealedSecret;
        user.totpPendingSecret = null;
        user.totpLastStep = step;
        user.updatedAt = Times.now();
        List<String> codes = new ArrayList<>();
        List<RecoveryCode> rows = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            String recovery = newRecoveryCode();
            codes.add(recovery);
            RecoveryCode row = new RecoveryCode();
            row.id = UuidV7.next().toString();
            row.userId = user.id;
            row.codeHash = Tokens.hash(canonical(recovery));
            row.createdAt = user.updatedAt;
            rows.add(row);
        }
        return recoveryCodes.deleteOfUser(user.id)
                .chain(() -> recoveryCodes.persist(rows))
                .chain(() -> audit.record(Audits.about("user.mfa_enabled", user)
                        .detail("method", "totp")
                        .detail("recoveryCodeCount", (long) RECOVERY_CODES)))
                .replaceWith(codes);
    }

    /** Removes TOTP with a current code (TOTP or recovery); a wrong code counts towards the lockout. */
    public Uni<Void> disable(String userId, String code) {
        return Panache.withTransaction(() -> users.findByIdForUpdate(userId)
                        .onItem().ifNull().failWith(() -> new Problems.NotFound("No such account."))
                        .chain(user -> {
                            if (!user.mfaEnabled()) {
                                throw new Problems.Conflict("mfa-not-enabled", "TOTP is not enabled.");
                            }
                            if (Lockouts.lockedFor(user, Times.now()) > 0) {
                                return refusedWhileLocked(user, "disable");
                            }
                            return consumeCode(user, code)
                                    .chain(method -> {
                                        if (method == null) {
                                            return lockouts.countFailure(user, MFA_FAILED, "invalid one-time code at removal")
                                                    .replaceWith(Attempt.<List<String>>refused(wrongCode()));
                                        }
                                        user.totpSecret = null;
                                        user.totpPendingSecret = null;
                                        user.totpLastStep = 0;
                                        user.updatedAt = Times.now();
                                        return recoveryCodes.deleteOfUser(user.id)
                                                .chain(() -> audit.record(Audits.about("user.mfa_disabled", user).detail("method", method)))
                                                .replaceWith(Attempt.ok(List.<String>of()));
                                    });
                        }))
                .map(Attempt::orThrow)
                .replaceWithVoid();
    }

    /**
     * Checks a code for a user with MFA (inside the caller's transaction, user row locked): a TOTP code of a
     * step after the last accepted one, or an unused recovery code. Marks it used. Emits "totp",
     * "recovery_code", or null when the code is not valid — also when the stored secret does not open
     * (moved from another account or altered: {@link TotpSecrets} logs a WARN naming the account, and
     * recovery codes still work). Fails with {@link AuthProblems.MfaUnavailable} while key-service is down.
     */
    public Uni<String> consumeCode(User user, String code) {
        String trimmed = code == null ? "" : code.strip();
        if (trimmed.matches("\\d{" + Totp.DIGITS + "}")) {
            return secrets.open(user.id, Column.ACTIVE, user.totpSecret)
                    .map(secret -> {
                        try {
                            return Totp.matchingStep(secret, trimmed, nowStep(), config.totp().driftSteps(), user.totpLastStep);
                        } finally {
                            Arrays.fill(secret, (byte) 0);
                        }
                    })
                    .onFailure(TotpSecrets.UnreadableSecretException.class).recoverWithItem(-1L)
                    .map(step -> {
                        if (step < 0) {
                            return null;
                        }
                        user.totpLastStep = step;
                        return "totp";
                    });
        }
        byte[] presented = Tokens.hash(canonical(trimmed));
        return recoveryCodes.findUnusedOfUser(user.id)
                .map(unused -> {
                    RecoveryCode match = null;
                    for (RecoveryCode candidate : unused) {
                        if (MessageDigest.isEqual(candidate.codeHash, presented)) {
                            match = candidate;
                        }
                    }
                    if (match == null) {
                        return null;
                    }
                    match.usedAt = Times.now();
                    return "recovery_code";
                });
    }

    static long nowStep() {
        return Totp.step(System.currentTimeMillis() / 1000);
    }

    /** 80 random bits as 16 base32 characters, shown as xxxx-xxxx-xxxx-xxxx. */
    static String newRecoveryCode() {
        String raw = Base32.encode(Tokens.randomBytes(10)).toLowerCase(Locale.ROOT);
        return raw.substring(0, 4) + "-" + raw.substring(4, 8) + "-" + raw.substring(8, 12) + "-" + raw.substring(12, 16);
    }

    static String canonical(String recoveryCode) {
        return recoveryCode.replace("-", "").replace(" ", "").toLowerCase(Locale.ROOT);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
