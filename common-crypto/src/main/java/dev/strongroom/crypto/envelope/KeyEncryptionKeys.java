package dev.strongroom.crypto.envelope;

import java.util.concurrent.CompletionStage;

/**
 * Named key-encryption keys that wrap and unwrap data keys. In the services this is key-service
 * ({@link dev.strongroom.crypto.client.KeyServiceClient}); {@link LocalKeyEncryptionKeys} keeps them in
 * process for tests and benchmarks. Asynchronous so reactive callers never block an event loop.
 * {@code context} is the associated data; failures complete the stage exceptionally with
 * {@link dev.strongroom.crypto.DecryptionFailedException} when the ciphertext or context does not match.
 */
public interface KeyEncryptionKeys {

    /** Encrypts {@code dataKey} with the primary version of {@code kekName}. */
    CompletionStage<WrappedKey> wrap(String kekName, byte[] dataKey, byte[] context);

    CompletionStage<byte[]> unwrap(String kekName, byte[] wrappedKey, byte[] context);

    /** Re-encrypts a wrapped key under the primary version without revealing it to the caller. */
    CompletionStage<WrappedKey> rewrap(String kekName, byte[] wrappedKey, byte[] context);
}
