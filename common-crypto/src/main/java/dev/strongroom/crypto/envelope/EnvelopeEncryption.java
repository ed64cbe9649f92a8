package dev.strongroom.crypto.envelope;

import com.google.crypto.tink.Aead;
import dev.strongroom.crypto.DataKeys;
import dev.strongroom.crypto.DecryptionFailedException;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * Envelope encryption of values: a value is encrypted with AES-256-GCM under a data key with the
 * caller's associated data (services bind secret id + version), and the data key is wrapped by a named
 * key-encryption key ({@link KeyEncryptionKeys}, normally key-service). The result is one
 * {@link Envelope}. Without reuse every value gets a fresh data key (format 1); with a
 * {@link DataKeyReuse} the values of one window share a data key, wrapped once (format 2), so most
 * writes make no key-service call. Decryption unwraps the data key or finds it in the
 * {@link DataKeyCache}. Thread-safe; all methods are asynchronous and never block on the network.
 */
public final class EnvelopeEncryption {

    private final KeyEncryptionKeys keks;
    private final DataKeyCache cache;
    private final SharedDataKeys shared;

    /** A fresh data key per value. */
    public EnvelopeEncryption(KeyEncryptionKeys keks, DataKeyCache cache) {
        this(keks, cache, DataKeyReuse.NONE);
    }

    public EnvelopeEncryption(KeyEncryptionKeys keks, DataKeyCache cache, DataKeyReuse reuse) {
        this(keks, cache, reuse, System::nanoTime);
    }

    /** With a clock for tests. */
    public EnvelopeEncryption(KeyEncryptionKeys keks, DataKeyCache cache, DataKeyReuse reuse, LongSupplier nanoTime) {
        this.keks = Objects.requireNonNull(keks);
        this.cache = Objects.requireNonNull(cache);
        this.shared = reuse.enabled() ? new SharedDataKeys(keks, cache, reuse, nanoTime) : null;
    }

    /** Encrypts {@code plaintext} under a data key wrapped by {@code kekName}; completes with the envelope bytes. */
    public CompletionStage<byte[]> encrypt(String kekName, byte[] plaintext, byte[] associatedData) {
        byte[] ad;
        try {
            ad = requireAssociatedData(associatedData);
            Envelope.requireKekName(kekName);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (shared != null) {
            return shared.take(kekName)
                    .thenApply(lease -> seal(Envelope.FORMAT_SHARED_KEY, kekName, lease.wrapped(), lease.aead(), plaintext, ad));
        }
        byte[] dataKey = DataKeys.generate();
        Aead aead;
        try {
            aead = DataKeys.aead(dataKey);
        } catch (GeneralSecurityException e) {
            Arrays.fill(dataKey, (byte) 0);
            return CompletableFuture.failedFuture(new IllegalStateException("cannot create a data key", e));
        }
        return keks.wrap(kekName, dataKey, ad)
                .whenComplete((wrapped, failure) -> Arrays.fill(dataKey, (byte) 0))
                .thenApply(wrapped -> {
                    // A read right after the write needs no unwrap.
                    cache.put(kekName, wrapped.ciphertext(), aead);
                    return seal(Envelope.FORMAT, kekName, wrapped, aead, plaintext, ad);
                });
    }

    /** Data keys wrapped for sharing so far (0 without reuse); each was one key-service call. */
    public long sharedDataKeysWrapped() {
        return shared == null ? 0 : shared.wraps();
    }

    /** Starts a fresh shared data key for the next value of every KEK (e.g. after a KEK rotation). */
    public void renewSharedDataKeys() {
        if (shared != null) {
            shared.renew();
        }
    }

    /** Opens an envelope; fails with {@link DecryptionFailedException} when it or the associated data was changed. */
    public CompletionStage<byte[]> decrypt(byte[] envelopeBytes, byte[] associatedData) {
        Envelope envelope;
        byte[] ad;
        try {
            ad = requireAssociatedData(associatedData);
            envelope = Envelope.parse(envelopeBytes);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        Aead cached = cache.get(envelope.kekName(), envelope.wrappedKey());
        if (cached != null) {
            return completed(() -> open(envelope, cached, ad));
        }
        return keks.unwrap(envelope.kekName(), envelope.wrappedKey(), envelope.wrapAssociatedData(ad))
                .thenApply(dataKey -> primitive(envelope, dataKey))
                .thenApply(aead -> open(envelope, aead, ad));
    }

    /**
     * Re-wraps the envelope's data key under the KEK's primary version (after a rotation) without
     * re-encrypting the value; the value's ciphertext stays byte for byte the same.
     */
    public CompletionStage<byte[]> rewrap(byte[] envelopeBytes, byte[] associatedData) {
        Envelope envelope;
        byte[] ad;
        try {
            ad = requireAssociatedData(associatedData);
            envelope = Envelope.parse(envelopeBytes);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return keks.rewrap(envelope.kekName(), envelope.wrappedKey(), envelope.wrapAssociatedData(ad))
                .thenApply(wrapped -> envelope.withWrappedKey(wrapped).toBytes());
    }

    /** The KEK name and version recorded in an envelope (no key needed). */
    public static Envelope describe(byte[] envelopeBytes) {
        return Envelope.parse(envelopeBytes);
    }

    public DataKeyCache cache() {
        return cache;
    }

    private static byte[] seal(byte format, String kekName, WrappedKey wrapped, Aead aead, byte[] plaintext, byte[] ad) {
        Envelope header = new Envelope(format, kekName, wrapped.keyVersion(), wrapped.ciphertext(), new byte[0]);
        try {
            byte[] value = aead.encrypt(plaintext, header.valueAssociatedData(ad));
            return new Envelope(format, kekName, wrapped.keyVersion(), wrapped.ciphertext(), value).toBytes();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt the value", e);
        }
    }

    private Aead primitive(Envelope envelope, byte[] dataKey) {
        try {
            Aead aead = DataKeys.aead(dataKey);
            cache.put(envelope.kekName(), envelope.wrappedKey(), aead);
            return aead;
        } catch (GeneralSecurityException e) {
            throw new DecryptionFailedException("the unwrapped data key is not a valid key");
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    private static byte[] open(Envelope envelope, Aead aead, byte[] ad) {
        try {
            return aead.decrypt(envelope.valueCiphertext(), envelope.valueAssociatedData(ad));
        } catch (GeneralSecurityException e) {
            throw new DecryptionFailedException("the value does not open: it was altered or the associated data differs");
        }
    }

    private static byte[] requireAssociatedData(byte[] associatedData) {
        if (associatedData == null || associatedData.length == 0) {
            throw new IllegalArgumentException("associated data is required: bind the value to what it belongs to");
        }
        return associatedData;
    }

    private static <T> CompletionStage<T> completed(java.util.function.Supplier<T> work) {
        try {
            return CompletableFuture.completedFuture(work.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
