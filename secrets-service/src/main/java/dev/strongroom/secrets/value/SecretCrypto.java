package dev.strongroom.secrets.value;

import dev.strongroom.crypto.DecryptionFailedException;
import dev.strongroom.crypto.client.KeyServiceException;
import dev.strongroom.crypto.client.ServiceCredentialsException;
import dev.strongroom.crypto.client.ServiceTokens;
import dev.strongroom.crypto.envelope.Envelope;
import dev.strongroom.crypto.envelope.EnvelopeEncryption;
import dev.strongroom.secrets.config.SecretsConfig;
import dev.strongroom.secrets.support.ContextHop;
import dev.strongroom.secrets.support.SecretProblems;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/**
 * Seals and opens secret values. The associated data binds each envelope to its secret id, version
 * and environment, so a row copied onto another secret or version does not open. Results come back
 * on the caller's Vert.x context (key-service answers on the HTTP client's threads), so the reactive
 * database session can continue. A cached data key opens without leaving the event loop.
 */
@ApplicationScoped
public class SecretCrypto {

    private static final Logger LOG = Logger.getLogger(SecretCrypto.class);
    private static final byte[] DOMAIN = "strongroom/secret-value/v1".getBytes(StandardCharsets.US_ASCII);

    private final EnvelopeEncryption envelopes;
    private final ServiceTokens tokens;
    private final String kekName;

    @Inject
    public SecretCrypto(EnvelopeEncryption envelopes, ServiceTokens tokens, SecretsConfig config) {
        this.envelopes = envelopes;
        this.tokens = tokens;
        this.kekName = config.kekName();
    }

    /** A sealed value: the envelope bytes and the KEK version that wrapped its data key. */
    public record Sealed(byte[] envelope, String kekName, int kekVersion) {
        @Override
        public String toString() {
            return "Sealed[kek=" + kekName + ", version=" + kekVersion + "]";
        }
    }

    public Uni<Sealed> seal(UUID secretId, int version, String environment, byte[] plaintext) {
        byte[] ad = associatedData(secretId, version, environment);
        return onCallerContext(tokenReady()
                .chain(() -> Uni.createFrom().completionStage(() -> envelopes.encrypt(kekName, plaintext, ad)))
                .map(bytes -> {
                    Envelope envelope = EnvelopeEncryption.describe(bytes);
                    return new Sealed(bytes, envelope.kekName(), envelope.kekVersion());
                }));
    }

    public Uni<byte[]> open(UUID secretId, int version, String environment, byte[] envelope) {
        byte[] ad = associatedData(secretId, version, environment);
        return onCallerContext(tokenReady()
                .chain(() -> Uni.createFrom().completionStage(() -> envelopes.decrypt(envelope, ad))));
    }

    /**
     * Wraps the envelope's data key again under the KEK's primary version; the value's ciphertext stays the same.
     * The result names the version that wraps it now (the same one when the envelope was already current).
     */
    public Uni<Sealed> rewrap(UUID secretId, int version, String environment, byte[] envelope) {
        byte[] ad = associatedData(secretId, version, environment);
        return onCallerContext(tokenReady()
                .chain(() -> Uni.createFrom().completionStage(() -> envelopes.rewrap(envelope, ad)))
                .map(bytes -> {
                    Envelope rewrapped = EnvelopeEncryption.describe(bytes);
                    return new Sealed(bytes, rewrapped.kekName(), rewrapped.kekVersion());
                }));
    }

    /** The KEK version recorded in an envelope (no key needed). */
    public static int kekVersionOf(byte[] envelope) {
        return EnvelopeEncryption.describe(envelope).kekVersion();
    }

    /** New writes of this replica get a fresh shared data key, wrapped by the KEK's primary version (after a rotation). */
    public void renewSharedDataKeys() {
        envelopes.renewSharedDataKeys();
    }

    private Uni<Void> tokenReady() {
        return tokens.fresh()
                ? Uni.createFrom().voidItem()
                : Uni.createFrom().completionStage(tokens::ready);
    }

    /** {@code domain | 0 | id (16) | version (4) | environment}: unambiguous, environment last. */
    public static byte[] associatedData(UUID secretId, int version, String environment) {
        byte[] env = environment.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(DOMAIN.length + 1 + 16 + 4 + env.length)
                .put(DOMAIN)
                .put((byte) 0)
                .putLong(secretId.getMostSignificantBits())
                .putLong(secretId.getLeastSignificantBits())
                .putInt(version)
                .put(env)
                .array();
    }

    private static <T> Uni<T> onCallerContext(Uni<T> work) {
        return ContextHop.onCallerContext(work.onFailure().transform(SecretCrypto::translate));
    }

    private static Throwable translate(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof DecryptionFailedException) {
            LOG.errorf("A stored secret value did not decrypt: %s", cause.getMessage());
            return new SecretProblems.ValueUndecryptable();
        }
        if (cause instanceof KeyServiceException e) {
            LOG.warnf("key-service call failed (status %d, type %s): %s", e.status(), e.problemType(), e.getMessage());
            return new SecretProblems.KeyServiceUnavailable(e.status() == 0
                    ? "key-service cannot be reached; retry later."
                    : "key-service refused the request (status " + e.status() + "); an operator must check the KEK and credentials.");
        }
        if (cause instanceof ServiceCredentialsException e) {
            LOG.warnf("No key-service token: %s", e.getMessage());
            return new SecretProblems.KeyServiceUnavailable("secrets-service has no valid key-service credentials; an operator must check them.");
        }
        return cause;
    }
}
