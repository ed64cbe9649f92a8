package dev.strongroom.crypto.client;

import com.google.crypto.tink.Aead;
import dev.strongroom.crypto.DecryptionFailedException;
import java.security.GeneralSecurityException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A remote Tink {@link Aead}: encrypt and decrypt with one key-service key; blocks for the HTTP round trip.
 * key-service always demands a context, so empty associated data (Tink's {@code KmsEnvelopeAead} wraps
 * data keys with none) is replaced by the key's URI, {@code strongroom-kms://<name>}.
 */
final class KeyServiceAead implements Aead {

    private final KeyServiceClient client;
    private final String keyName;

    KeyServiceAead(KeyServiceClient client, String keyName) {
        this.client = client;
        this.keyName = keyName;
    }

    @Override
    public byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
        return await(client.encrypt(keyName, plaintext, context(associatedData))).ciphertext();
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
        return await(client.decrypt(keyName, ciphertext, context(associatedData)));
    }

    private byte[] context(byte[] associatedData) {
        if (associatedData == null || associatedData.length == 0) {
            return (KeyServiceKmsClient.PREFIX + keyName).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        return associatedData;
    }

    private static <T> T await(CompletionStage<T> stage) throws GeneralSecurityException {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof DecryptionFailedException) {
                throw new GeneralSecurityException("decryption failed", cause);
            }
            throw new GeneralSecurityException("key-service call failed: " + cause.getMessage(), cause);
        }
    }

    @Override
    public String toString() {
        return "KeyServiceAead[" + keyName + "]";
    }
}
