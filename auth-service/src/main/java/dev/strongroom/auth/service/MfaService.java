package dev.strongroom.auth.service;

import dev.strongroom.auth.RecoveryCode;
import dev.strongroom.auth.User;
import dev.strongroom.auth.config.AuthConfig;
import dev.strongroom.auth.repository.RecoveryCodeRepository;
import dev.strongroom.auth.repository.UserRepository;
import dev.strongroom.common.audit.AuditOutbox;
import dev.strongroom.common.audit.UuidV7;
import dev.strongroom.common.problem.Problems;
import dev.strongroom.crypto.Tokens;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import dev.strongroom.auth.service.TotpSecrets.Column;
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

    public Uni<Enrolment> start(String userId) {
        byte[] secret = Tokens.randomBytes(SECRET_BYTES);
        return Panache.withTransaction(() -> users.findByIdForUpdate(userId)
                        .onItem().ifNull().failWith(() -> new Problems.NotFound("No such account."))
                        .invoke(user -> {
                            if (user.mfaEnabled()) {
                                throw new Problems.Conflict("mfa-already-enabled", "TOTP is already enabled; disable it first.");
                            }
                        })
                        .call(user -> secrets.seal(user.id, Column.PENDING, secret)
                                .invoke(sealed -> {
                                    user.totpPendingSecret = sealed;
                                    user.updatedAt = Times.now();
                                })))
                .map(user -> enrolment(user.username, Base32.encode(secret)))
                .eventually(() -> Arrays.fill(secret, (byte) 0));
    }

    Enrolment enrolment(String username, String secret) {
        String label = config.totp().issuerLabel();
        String uri = "otpauth://totp/" + encode(label) + ":" + encode(username) + "?secret=" + secret + "&issuer=" + encode(label)
                + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.STEP_SECONDS;
        return new Enrolment(secret, uri, Base64.getEncoder().encodeToString(QrCodes.png(uri, 256)));
    }

    public Uni<List<String>> confirm(String userId, String code) {
        return Panache.withTransaction(() -> users.findByIdForUpdate(userId)
                .onItem().ifNull().failWith(() -> new Problems.NotFound("No such account."))
                .chain(user -> {
                    if (user.totpPendingSecret == null) {
                        throw new Problems.Conflict("no-enrolment", "Start an enrolment with POST /v1/auth/mfa/totp first.");
                    }
                    return secrets.open(user.id, Column.PENDING, user.totpPendingSecret)
                            .onFailure(TotpSecrets.UnreadableSecretException.class).transform(e -> new Problems.Conflict(
                                    "enrolment-unreadable", "The started enrolment cannot be read; start a new one."))
                            .chain(secret -> {
                                long step = Totp.matchingStep(secret, code, nowStep(), config.totp().driftSteps(), 0);
                                if (step < 0) {
                                    Arrays.fill(secret, (byte) 0);
                                    throw Problems.ValidationFailed.of("code", "does not match the enrolled secret");
                                }
                                // Re-sealed for the active column: the pending envelope is bound to its own column.
                                return secrets.seal(user.id, Column.ACTIVE, secret)
                                        .eventually(() -> Arrays.fill(secret, (byte) 0))
                                        .chain(sealed -> enable(user, sealed, step));
                            });
                }));
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

    public Uni<Void> disable(String userId, String code) {
        return Panache.withTransaction(() -> users.findByIdForUpdate(userId)
                .onItem().ifNull().failWith(() -> new Problems.NotFound("No such account."))
                .chain(user -> {
                    if (!user.mfaEnabled()) {
                        throw new Problems.Conflict("mfa-not-enabled", "TOTP is not enabled.");
                    }
                    return consumeCode(user, code)
                            .chain(method -> {
                                if (method == null) {
                                    throw Problems.ValidationFailed.of("code", "is not a valid one-time or recovery code");
                                }
                                user.totpSecret = null;
                                user.totpPendingSecret = null;
                                user.totpLastStep = 0;
                                user.updatedAt = Times.now();
                                return recoveryCodes.deleteOfUser(user.id)
                                        .chain(() -> audit.record(Audits.about("user.mfa_disabled", user).detail("method", method)));
                            });
                }))
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
