package dev.strongroom.keys.service;

import dev.strongroom.common.problem.Problems;
import dev.strongroom.crypto.DataKeys;
import dev.strongroom.crypto.keys.VersionedKeyset;
import dev.strongroom.keys.Key;
import dev.strongroom.keys.config.KeysConfig;
import dev.strongroom.keys.repository.KeyRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The cryptographic operations of a key: encrypt, decrypt, rewrap, datakey. Reads the key's row (so a
 * rotation or policy change by any replica applies at once) and uses its unsealed keyset.
 */
@ApplicationScoped
public class KeyCryptoService {

    private final KeyRepository keys;
    private final KeysetCache keysets;
    private final KeysConfig config;
    private final MeterRegistry metrics;
    private final KeyAccess access;

    @Inject
    public KeyCryptoService(KeyRepository keys, KeysetCache keysets, KeysConfig config, MeterRegistry metrics, KeyAccess access) {
        this.keys = keys;
        this.keysets = keysets;
        this.config = config;
        this.metrics = metrics;
        this.access = access;
    }

    /** A ciphertext and the key version that made it. */
    public record Ciphertext(byte[] bytes, int keyVersion) {}

    /** A fresh data key: its plaintext and its ciphertext under the primary version. */
    public record DataKey(byte[] plaintext, Ciphertext ciphertext) {}

    @WithSession
    public Uni<Ciphertext> encrypt(String name, byte[] plaintext, byte[] context) {
        if (plaintext.length > config.maxPlaintextBytes()) {
            return Uni.createFrom().failure(new Problems.TooLarge("plaintext is larger than " + config.maxPlaintextBytes() + " bytes"));
        }
        return counted("encrypt", key(name, "encrypt")
                .map(key -> encryptWith(key, plaintext, context)));
    }

    @WithSession
    public Uni<byte[]> decrypt(String name, byte[] ciphertext, byte[] context) {
        return counted("decrypt", key(name, "decrypt")
                .map(key -> decryptWith(key, ciphertext, context)));
    }

    /** Decrypts with any allowed version and encrypts with the primary; the plaintext never leaves. */
    @WithSession
    public Uni<Ciphertext> rewrap(String name, byte[] ciphertext, byte[] context) {
        return counted("rewrap", key(name, "rewrap")
                .map(key -> {
                    byte[] plaintext = decryptWith(key, ciphertext, context);
                    try {
                        return encryptWith(key, plaintext, context);
                    } finally {
                        Arrays.fill(plaintext, (byte) 0);
                    }
                }));
    }

    @WithSession
    public Uni<DataKey> dataKey(String name, byte[] context) {
        return counted("datakey", key(name, "datakey")
                .map(key -> {
                    byte[] plaintext = DataKeys.generate();
                    return new DataKey(plaintext, encryptWith(key, plaintext, context));
                }));
    }

    /**
     * Counts every operation, refusals included, as {@code strongroom_kms_operations_total{operation, outcome}};
     * never labelled with key names, callers or data.
     */
    private <T> Uni<T> counted(String operation, Uni<T> work) {
        return work.onItemOrFailure().invoke((item, failure) -> metrics.counter("strongroom.kms.operations",
                "operation", operation, "outcome", outcome(failure)).increment());
    }

    private static String outcome(Throwable failure) {
        if (failure == null) {
            return "success";
        }
        return switch (failure) {
            case KeyProblems.DecryptionFailed e -> "decryption_failed";
            case KeyProblems.KeyVersionRefused e -> "version_refused";
            case dev.strongroom.common.problem.Problems.NotFound e -> "not_found";
            case dev.strongroom.common.problem.Problems.Forbidden e -> "denied";
            case dev.strongroom.common.problem.Problems.TooLarge e -> "too_large";
            default -> "error";
        };
    }

    /** The key, once the caller may use it for the operation (else 403, audited, whether or not it exists). */
    private Uni<Key> key(String name, String operation) {
        return access.check(name, operation)
                .chain(() -> keys.findById(name))
                .onItem().ifNull().failWith(() -> KeyProblems.keyNotFound(name));
    }

    private Ciphertext encryptWith(Key key, byte[] plaintext, byte[] context) {
        VersionedKeyset keyset = keysets.keysetOf(key);
        try {
            return new Ciphertext(keyset.encrypt(plaintext, context), keyset.primaryVersion());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption with key " + key.name + " failed", e);
        }
    }

    private byte[] decryptWith(Key key, byte[] ciphertext, byte[] context) {
        VersionedKeyset keyset = keysets.keysetOf(key);
        try {
            return keyset.decrypt(ciphertext, context, key.minDecryptionVersion);
        } catch (VersionedKeyset.VersionRefusedException e) {
            throw new KeyProblems.KeyVersionRefused(e.version(), e.minimum());
        } catch (GeneralSecurityException e) {
            throw new KeyProblems.DecryptionFailed();
        }
    }
}
