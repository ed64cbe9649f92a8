package dev.strongroom.crypto.envelope;

import dev.strongroom.crypto.DecryptionFailedException;
import dev.strongroom.crypto.keys.KeyCiphertext;
import dev.strongroom.crypto.keys.VersionedKeyset;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** Key-encryption keys held in this process: for unit tests, benchmarks and tools, never for a service's values. */
public final class LocalKeyEncryptionKeys implements KeyEncryptionKeys {

    private final Map<String, VersionedKeyset> keys = new ConcurrentHashMap<>();

    /** Adds (or replaces) a key under {@code name}. */
    public LocalKeyEncryptionKeys put(String name, VersionedKeyset keyset) {
        keys.put(name, keyset);
        return this;
    }

    /** Rotates {@code name}: a new primary version. */
    public void rotate(String name) {
        keys.computeIfPresent(name, (n, keyset) -> keyset.rotate());
    }

    @Override
    public CompletionStage<WrappedKey> wrap(String kekName, byte[] dataKey, byte[] context) {
        try {
            VersionedKeyset keyset = keyset(kekName);
            return CompletableFuture.completedFuture(new WrappedKey(keyset.encrypt(dataKey, context), keyset.primaryVersion()));
        } catch (RuntimeException | GeneralSecurityException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<byte[]> unwrap(String kekName, byte[] wrappedKey, byte[] context) {
        try {
            return CompletableFuture.completedFuture(keyset(kekName).decrypt(wrappedKey, context, 0));
        } catch (GeneralSecurityException e) {
            return CompletableFuture.failedFuture(new DecryptionFailedException("the data key does not open with key " + kekName, e));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<WrappedKey> rewrap(String kekName, byte[] wrappedKey, byte[] context) {
        return unwrap(kekName, wrappedKey, context)
                .thenCompose(plain -> wrap(kekName, plain, context));
    }

    private VersionedKeyset keyset(String name) {
        VersionedKeyset keyset = keys.get(name);
        if (keyset == null) {
            throw new IllegalArgumentException("no key-encryption key named " + name);
        }
        return keyset;
    }

    /** The version a wrapped key was made with (see {@link KeyCiphertext}). */
    public static int versionOf(byte[] wrappedKey) {
        return KeyCiphertext.versionOf(wrappedKey);
    }
}
