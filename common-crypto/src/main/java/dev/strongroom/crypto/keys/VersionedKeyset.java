package dev.strongroom.crypto.keys;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.subtle.AesGcmJce;
import dev.strongroom.crypto.DataKeys;
import dev.strongroom.crypto.Tink;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A key-encryption key: one Tink keyset of AES-256-GCM keys whose key ids are the key's versions
 * (1, 2, 3, …). The primary encrypts; every version decrypts unless the caller's minimum
 * decryption version refuses it. Ciphertexts are in {@link KeyCiphertext} format.
 * Immutable: {@link #rotate()} returns a new keyset. Stored only sealed ({@link #seal}).
 */
public final class VersionedKeyset {

    private final KeysetHandle handle;
    private final Map<Integer, Aead> byVersion;
    private final int primaryVersion;

    private VersionedKeyset(KeysetHandle handle) throws GeneralSecurityException {
        Map<Integer, Aead> versions = new TreeMap<>();
        for (int i = 0; i < handle.size(); i++) {
            KeysetHandle.Entry entry = handle.getAt(i);
            if (!(entry.getKey() instanceof AesGcmKey key) || entry.getId() <= 0) {
                throw new GeneralSecurityException("not a Strongroom key-encryption keyset");
            }
            if (entry.getStatus() == KeyStatus.ENABLED) {
                versions.put(entry.getId(), AesGcmJce.create(key));
            }
        }
        this.handle = handle;
        this.byVersion = Collections.unmodifiableMap(versions);
        this.primaryVersion = handle.getPrimary().getId();
    }

    /** A new key with version 1 as its primary. */
    public static VersionedKeyset generate() {
        Tink.init();
        try {
            return new VersionedKeyset(KeysetHandle.newBuilder()
                    .addEntry(KeysetHandle.generateEntryFromParameters(DataKeys.PARAMETERS).withFixedId(1).makePrimary())
                    .build());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a key", e);
        }
    }

    /** This key with one more version, the new primary; older versions still decrypt. */
    public VersionedKeyset rotate() {
        int next = latestVersion() + 1;
        try {
            return new VersionedKeyset(KeysetHandle.newBuilder(handle)
                    .addEntry(KeysetHandle.generateEntryFromParameters(DataKeys.PARAMETERS).withFixedId(next).makePrimary())
                    .build());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot rotate a key", e);
        }
    }

    public int primaryVersion() {
        return primaryVersion;
    }

    public int latestVersion() {
        int latest = 0;
        for (int i = 0; i < handle.size(); i++) {
            latest = Math.max(latest, handle.getAt(i).getId());
        }
        return latest;
    }

    /** Versions that can decrypt, ascending. */
    public List<Integer> versions() {
        return new ArrayList<>(byVersion.keySet());
    }

    /** Encrypts with the primary version; {@code context} is the associated data (may be empty, never null). */
    public byte[] encrypt(byte[] plaintext, byte[] context) throws GeneralSecurityException {
        byte[] header = KeyCiphertext.header(primaryVersion);
        byte[] inner = byVersion.get(primaryVersion).encrypt(plaintext, KeyCiphertext.associatedData(header, context));
        byte[] out = Arrays.copyOf(header, header.length + inner.length);
        System.arraycopy(inner, 0, out, header.length, inner.length);
        return out;
    }

    /**
     * Decrypts a ciphertext of any version at or above {@code minDecryptionVersion}.
     *
     * @throws VersionRefusedException when the version is below the minimum
     * @throws GeneralSecurityException when the bytes, the version or the context do not match
     */
    public byte[] decrypt(byte[] ciphertext, byte[] context, int minDecryptionVersion) throws GeneralSecurityException {
        int version = KeyCiphertext.versionOf(ciphertext);
        if (version < 0) {
            throw new GeneralSecurityException("not a key ciphertext");
        }
        if (version < minDecryptionVersion) {
            throw new VersionRefusedException(version, minDecryptionVersion);
        }
        Aead aead = byVersion.get(version);
        if (aead == null) {
            throw new GeneralSecurityException("unknown key version");
        }
        byte[] header = Arrays.copyOf(ciphertext, KeyCiphertext.HEADER_BYTES);
        byte[] inner = Arrays.copyOfRange(ciphertext, KeyCiphertext.HEADER_BYTES, ciphertext.length);
        return aead.decrypt(inner, KeyCiphertext.associatedData(header, context));
    }

    /** The keyset encrypted by {@code root}; {@code associatedData} binds it to its owner (e.g. the key name). */
    public byte[] seal(Aead root, byte[] associatedData) throws GeneralSecurityException {
        return TinkProtoKeysetFormat.serializeEncryptedKeyset(handle, root, associatedData);
    }

    public static VersionedKeyset unseal(byte[] sealed, Aead root, byte[] associatedData) throws GeneralSecurityException {
        Tink.init();
        return new VersionedKeyset(TinkProtoKeysetFormat.parseEncryptedKeyset(sealed, root, associatedData));
    }

    @Override
    public String toString() {
        return "VersionedKeyset[primary=" + primaryVersion + ", versions=" + byVersion.keySet() + "]";
    }

    /** A ciphertext's version is older than the key's minimum decryption version. */
    public static final class VersionRefusedException extends GeneralSecurityException {
        private final int version;
        private final int minimum;

        public VersionRefusedException(int version, int minimum) {
            super("key version " + version + " is below the minimum decryption version " + minimum);
            this.version = version;
            this.minimum = minimum;
        }

        public int version() {
            return version;
        }

        public int minimum() {
            return minimum;
        }
    }
}
