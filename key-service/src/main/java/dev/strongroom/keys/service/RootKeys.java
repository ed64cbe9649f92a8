package dev.strongroom.keys.service;

import dev.strongroom.crypto.keys.RootKey;
import dev.strongroom.crypto.keys.VersionedKeyset;
import dev.strongroom.keys.Key;
import dev.strongroom.keys.config.KeysConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Optional;

/**
 * Seals and unseals keysets with the root key. New seals always use the current root
 * ({@code strongroom.keys.root}); keysets sealed by the previous root ({@code strongroom.keys.previous-root})
 * still open until {@code rotate-root} has re-sealed them. The associated data binds a sealed keyset
 * to its key's name, so two rows' keysets cannot be swapped.
 */
@ApplicationScoped
public class RootKeys {

    private final RootKey current;
    private final Optional<RootKey> previous;

    @Inject
    public RootKeys(KeysConfig config) {
        this(RootKey.load(config.root()), config.previousRoot().map(RootKey::load));
    }

    public RootKeys(RootKey current, Optional<RootKey> previous) {
        this.current = current;
        this.previous = previous;
    }

    public String currentRef() {
        return current.ref();
    }

    /** Seals under the current root; the key's {@code sealedKeyset} and {@code sealedBy} are set. */
    public void seal(Key key, VersionedKeyset keyset) {
        try {
            key.sealedKeyset = current.seal(keyset, associatedData(key.name));
            key.sealedBy = current.ref();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal the keyset of key " + key.name, e);
        }
    }

    public VersionedKeyset unseal(Key key) {
        return unseal(key.name, key.sealedKeyset, key.sealedBy);
    }

    public VersionedKeyset unseal(String name, byte[] sealed, String sealedBy) {
        RootKey root = rootFor(sealedBy);
        try {
            return root.unseal(sealed, associatedData(name));
        } catch (GeneralSecurityException e) {
            throw new SealedKeysetException("the keyset of key " + name + " does not open with root key " + root.ref());
        }
    }

    /** Whether this replica holds the root key that sealed a keyset. */
    public boolean canOpen(String sealedBy) {
        return current.ref().equals(sealedBy) || previous.map(root -> root.ref().equals(sealedBy)).orElse(false);
    }

    /** Whether a keyset sealed by {@code sealedBy} should be re-sealed under the current root. */
    public boolean isStale(String sealedBy) {
        return !current.ref().equals(sealedBy);
    }

    private RootKey rootFor(String sealedBy) {
        if (current.ref().equals(sealedBy)) {
            return current;
        }
        if (previous.isPresent() && previous.get().ref().equals(sealedBy)) {
            return previous.get();
        }
        throw new SealedKeysetException("a keyset is sealed by root key " + sealedBy
                + ", which is neither strongroom.keys.root nor strongroom.keys.previous-root");
    }

    static byte[] associatedData(String keyName) {
        return ("strongroom-kms/keyset/" + keyName).getBytes(StandardCharsets.UTF_8);
    }

    /** A stored keyset cannot be opened: wrong or missing root key, or a tampered row. An operator problem (500). */
    public static class SealedKeysetException extends RuntimeException {
        public SealedKeysetException(String message) {
            super(message, null, false, false);
        }
    }
}
