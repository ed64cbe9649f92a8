package dev.strongroom.crypto.backup;

import com.google.crypto.tink.HybridDecrypt;
import com.google.crypto.tink.HybridEncrypt;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.hybrid.HpkeParameters;
import dev.strongroom.crypto.Tink;
import java.security.GeneralSecurityException;

/**
 * The backup key: an HPKE key pair (X25519, HKDF-SHA256, AES-256-GCM) that is not the root key. Archives
 * are sealed to the public part, which may sit beside the backup job; only the private part, kept offline,
 * opens them. Both parts are Tink JSON keysets (the private one in clear: keep its file mode 600).
 */
public final class BackupKeys {

    private static final HpkeParameters PARAMETERS;

    static {
        try {
            PARAMETERS = HpkeParameters.builder()
                    .setVariant(HpkeParameters.Variant.TINK)
                    .setKemId(HpkeParameters.KemId.DHKEM_X25519_HKDF_SHA256)
                    .setKdfId(HpkeParameters.KdfId.HKDF_SHA256)
                    .setAeadId(HpkeParameters.AeadId.AES_256_GCM)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private BackupKeys() {}

    /** A new key pair; {@code toString} hides the private part. */
    public record Generated(String privateKeysetJson, String publicKeysetJson, long keyId) {
        @Override
        public String toString() {
            return "BackupKeys.Generated[key " + keyId + ", private part hidden]";
        }
    }

    /** The public part: seals archives. */
    public record PublicKey(HybridEncrypt encrypt, long keyId) {
        @Override
        public String toString() {
            return "BackupPublicKey[" + keyId + "]";
        }
    }

    /** The private part: opens archives. */
    public record PrivateKey(HybridDecrypt decrypt, long keyId) {
        @Override
        public String toString() {
            return "BackupPrivateKey[" + keyId + "]";
        }
    }

    public static Generated generate() throws GeneralSecurityException {
        Tink.init();
        KeysetHandle handle = KeysetHandle.generateNew(PARAMETERS);
        return new Generated(
                TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get()),
                TinkJsonProtoKeysetFormat.serializeKeysetWithoutSecret(handle.getPublicKeysetHandle()),
                Integer.toUnsignedLong(handle.getPrimary().getId()));
    }

    /** The public part from its JSON keyset; {@code where} names the source in the error. */
    public static PublicKey publicKey(String json, String where) {
        Tink.init();
        try {
            KeysetHandle handle = TinkJsonProtoKeysetFormat.parseKeysetWithoutSecret(json);
            return new PublicKey(handle.getPrimitive(RegistryConfiguration.get(), HybridEncrypt.class),
                    Integer.toUnsignedLong(handle.getPrimary().getId()));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("the backup public key in " + where
                    + " is not a Tink hybrid public keyset (a private key or root key is refused here)");
        }
    }

    /** The private part from its JSON keyset; {@code where} names the source in the error. */
    public static PrivateKey privateKey(String json, String where) {
        Tink.init();
        try {
            KeysetHandle handle = TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
            return new PrivateKey(handle.getPrimitive(RegistryConfiguration.get(), HybridDecrypt.class),
                    Integer.toUnsignedLong(handle.getPrimary().getId()));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("the backup private key in " + where + " is not a Tink hybrid private keyset");
        }
    }
}
