package dev.strongroom.crypto.keys;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.KmsClient;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.integration.awskms.AwsKmsClient;
import com.google.crypto.tink.integration.gcpkms.GcpKmsClient;
import dev.strongroom.crypto.Tink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.function.UnaryOperator;

/**
 * key-service's root key, which seals stored keysets, and a reference naming it ({@code keyset:<primary key id>}
 * or the KMS key URI) that is stored beside each sealed keyset. The reference is not secret.
 * Cloud KMS root keys need {@code tink-gcpkms} / {@code tink-awskms}, optional dependencies of this
 * module that key-service declares.
 *
 * @param aead        the sealing primitive
 * @param ref         which root key this is
 */
public record RootKey(Aead aead, String ref) {

    /**
     * Loads a root key from its spec (see {@code strongroom.keys.root}): a Tink JSON keyset file path
     * ({@code /path} or {@code file:/path}), {@code env:NAME}, or a cloud KMS key URI
     * ({@code gcp-kms://projects/…/cryptoKeys/…}, {@code aws-kms://arn:aws:kms:…:key/…}).
     */
    public static RootKey load(String spec, UnaryOperator<String> environment) {
        Tink.init();
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("no root key: set strongroom.keys.root (see docs/keys.md)");
        }
        String trimmed = spec.trim();
        if (trimmed.startsWith(GcpKmsClient.PREFIX)) {
            return fromKms(new GcpKmsClient(), trimmed);
        }
        if (trimmed.startsWith(AwsKmsClient.PREFIX)) {
            return fromKms(new AwsKmsClient(), trimmed);
        }
        if (trimmed.startsWith("env:")) {
            String variable = trimmed.substring(4);
            String json = environment.apply(variable);
            if (json == null || json.isBlank()) {
                throw new IllegalArgumentException("root key environment variable " + variable + " is not set");
            }
            return fromJson(json, "environment variable " + variable);
        }
        Path path = Path.of(trimmed.startsWith("file:") ? trimmed.substring(5) : trimmed);
        try {
            return fromJson(Files.readString(path, StandardCharsets.UTF_8), "file " + path);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the root key file " + path + ": " + e.getClass().getSimpleName());
        }
    }

    public static RootKey load(String spec) {
        return load(spec, System::getenv);
    }

    /**
     * A root key kept in a cloud KMS, used through Tink's integration with the platform's default
     * credentials (GCP: GOOGLE_APPLICATION_CREDENTIALS or the metadata server; AWS: the default
     * provider chain). Its reference is the key URI. Nothing is called until the first seal or unseal.
     */
    static RootKey fromKms(KmsClient client, String keyUri) {
        try {
            if (!client.doesSupport(keyUri)) {
                throw new GeneralSecurityException("unsupported key URI");
            }
            return new RootKey(client.withDefaultCredentials().getAead(keyUri), keyUri);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("cannot use the cloud KMS root key " + keyUri + ": " + e.getMessage());
        }
    }

    /** A root key from a cleartext Tink JSON keyset. */
    public static RootKey fromJson(String json, String where) {
        Tink.init();
        try {
            KeysetHandle handle = TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
            Aead aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
            return new RootKey(aead, "keyset:" + Integer.toUnsignedString(handle.getPrimary().getId()));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("the root key in " + where + " is not a Tink AEAD keyset");
        }
    }

    /** A new root key as a cleartext Tink JSON keyset with one AES-256-GCM key (for {@code generate-root-key}). */
    public static String newKeysetJson() throws GeneralSecurityException {
        Tink.init();
        return TinkJsonProtoKeysetFormat.serializeKeyset(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM),
                InsecureSecretKeyAccess.get());
    }

    /** {@code keyset} sealed by this root key; {@code associatedData} binds it to its owner (e.g. the key name). */
    public byte[] seal(VersionedKeyset keyset, byte[] associatedData) throws GeneralSecurityException {
        return keyset.seal(aead, associatedData);
    }

    /** Opens a keyset this root key sealed with the same {@code associatedData}. */
    public VersionedKeyset unseal(byte[] sealed, byte[] associatedData) throws GeneralSecurityException {
        return VersionedKeyset.unseal(sealed, aead, associatedData);
    }

    @Override
    public String toString() {
        return "RootKey[" + ref + "]";
    }
}
