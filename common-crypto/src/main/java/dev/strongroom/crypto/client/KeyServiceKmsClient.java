package dev.strongroom.crypto.client;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KmsClient;
import dev.strongroom.crypto.envelope.Envelope;
import java.security.GeneralSecurityException;

/**
 * A Tink {@link KmsClient} for key-service keys, so Tink's own KMS APIs work against Strongroom:
 * {@code KmsEnvelopeAead.create(PredefinedAeadParameters.AES256_GCM, kmsClient.getAead("strongroom-kms://payments"))}.
 * Key URIs are {@code strongroom-kms://<key name>}; which key-service and which token come from the
 * {@link KeyServiceClient}. The returned {@link Aead}s block on the HTTP call: use them off event loops.
 */
public final class KeyServiceKmsClient implements KmsClient {

    public static final String PREFIX = "strongroom-kms://";

    private final KeyServiceClient client;

    public KeyServiceKmsClient(KeyServiceClient client) {
        this.client = client;
    }

    /** The URI of a key: {@code strongroom-kms://<name>}. */
    public static String keyUri(String keyName) {
        return PREFIX + Envelope.requireKekName(keyName);
    }

    @Override
    public boolean doesSupport(String keyUri) {
        return keyUri != null && keyUri.startsWith(PREFIX) && Envelope.KEK_NAME.matcher(keyUri.substring(PREFIX.length())).matches();
    }

    /** Credentials are the bearer-token supplier of the {@link KeyServiceClient}; files are not supported. */
    @Override
    public KmsClient withCredentials(String credentialPath) throws GeneralSecurityException {
        throw new GeneralSecurityException("key-service credentials come from the client's bearer-token supplier");
    }

    @Override
    public KmsClient withDefaultCredentials() {
        return this;
    }

    @Override
    public Aead getAead(String keyUri) throws GeneralSecurityException {
        if (!doesSupport(keyUri)) {
            throw new GeneralSecurityException("not a key-service key URI: expected " + PREFIX + "<name>");
        }
        return new KeyServiceAead(client, keyUri.substring(PREFIX.length()));
    }
}
