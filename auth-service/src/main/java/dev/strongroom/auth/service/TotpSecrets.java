package dev.strongroom.auth.service;

import dev.strongroom.auth.config.AuthConfig;
import dev.strongroom.crypto.DecryptionFailedException;
import dev.strongroom.crypto.client.KeyServiceException;
import dev.strongroom.crypto.envelope.Envelope;
import dev.strongroom.crypto.envelope.EnvelopeEncryption;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/**
 * Seals and opens TOTP secrets (the raw 20 bytes, not their base32) with envelope encryption through
 * key-service: a fresh AES-256-GCM data key per secret, wrapped by the KEK {@code strongroom.auth.totp.kek-name}.
 * The associated data binds an envelope to its user id and its column, so one copied onto another
 * account, or from the pending column to the active one, does not open. Stored values that do not start
 * with the envelope format byte are plaintext base32 of an earlier version ({@link #isSealed}); they are
 * still read until {@link TotpSecretUpgrade} has sealed them. Results come back on the caller's Vert.x
 * context (key-service answers on the HTTP client's threads), so the reactive session can continue.
 */
@ApplicationScoped
public class TotpSecrets {

    private static final Logger LOG = Logger.getLogger(TotpSecrets.class);
    private static final byte[] DOMAIN = "strongroom/auth/totp-secret/v1".getBytes(StandardCharsets.US_ASCII);

    /** The users column a secret lives in; part of the associated data. */
    public enum Column {
        ACTIVE("totp_secret"),
        PENDING("totp_pending_secret");

        private final String columnName;

        Column(String columnName) {
            this.columnName = columnName;
        }

        public String columnName() {
            return columnName;
        }
    }

    /** A stored secret that does not open (altered, or moved from another account or column). Names no secret. */
    public static class UnreadableSecretException extends RuntimeException {
        public UnreadableSecretException(String message) {
            super(message, null, false, false);
        }
    }

    @Inject
    EnvelopeEncryption envelopes;
    @Inject
    AuthConfig config;

    /** Seals the raw secret of {@code userId}'s {@code column}; emits the envelope to store. */
    public Uni<byte[]> seal(String userId, Column column, byte[] secret) {
        byte[] ad = associatedData(userId, column);
        String kek = config.totp().kekName();
        return onCallerContext(Uni.createFrom().completionStage(() -> envelopes.encrypt(kek, secret, ad)), userId, column);
    }

    /**
     * The raw secret stored in {@code userId}'s {@code column}: opens an envelope, or decodes a plaintext
     * value of an earlier version. Fails with {@link UnreadableSecretException} (logged at WARN with the
     * user id and column) when the envelope does not open, {@link AuthProblems.MfaUnavailable} when
     * key-service cannot be used.
     */
    public Uni<byte[]> open(String userId, Column column, byte[] stored) {
        if (!isSealed(stored)) {
            try {
                return Uni.createFrom().item(Base32.decode(new String(stored, StandardCharsets.US_ASCII)));
            } catch (IllegalArgumentException e) {
                return Uni.createFrom().failure(unreadable(userId, column, "a plaintext value that is not base32"));
            }
        }
        byte[] ad = associatedData(userId, column);
        return onCallerContext(Uni.createFrom().completionStage(() -> envelopes.decrypt(stored, ad)), userId, column);
    }

    /** Whether a stored value is an envelope (its first byte is the envelope format) rather than legacy base32 text. */
    public static boolean isSealed(byte[] stored) {
        return Envelope.hasEnvelopeFormat(stored);
    }

    /** {@code domain | 0 | column | 0 | user id}: unambiguous (neither the domain nor a column name holds a 0). */
    static byte[] associatedData(String userId, Column column) {
        byte[] name = column.columnName().getBytes(StandardCharsets.US_ASCII);
        byte[] id = userId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(DOMAIN.length + 1 + name.length + 1 + id.length)
                .put(DOMAIN)
                .put((byte) 0)
                .put(name)
                .put((byte) 0)
                .put(id)
                .array();
    }

    private static <T> Uni<T> onCallerContext(Uni<T> work, String userId, Column column) {
        return Uni.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            Uni<T> translated = work.onFailure().transform(failure -> translate(failure, userId, column));
            if (context == null) {
                return translated;
            }
            return translated.emitOn(task -> {
                if (Vertx.currentContext() == context) {
                    task.run();
                } else {
                    context.runOnContext(ignored -> task.run());
                }
            });
        });
    }

    private static Throwable translate(Throwable failure, String userId, Column column) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof DecryptionFailedException e) {
            return unreadable(userId, column, e.getMessage());
        }
        if (cause instanceof KeyServiceException e) {
            LOG.warnf("key-service call for a TOTP secret failed (status %d, type %s): %s", e.status(), e.problemType(), e.getMessage());
            return new AuthProblems.MfaUnavailable();
        }
        return cause;
    }

    private static UnreadableSecretException unreadable(String userId, Column column, String reason) {
        String message = "The TOTP secret in " + column.columnName() + " of user " + userId + " is refused (" + reason + ")";
        LOG.warnf("%s; its codes are refused until MFA is enrolled again", message);
        return new UnreadableSecretException(message);
    }
}
