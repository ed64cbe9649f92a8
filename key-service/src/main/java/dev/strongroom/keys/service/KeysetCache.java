package dev.strongroom.keys.service;

import dev.strongroom.crypto.keys.VersionedKeyset;
import dev.strongroom.keys.Key;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Unsealed keysets of recently used keys, so an encrypt does not unseal on every call. An entry is
 * valid only for the row version it was unsealed from: any rotation, patch or re-seal (by any
 * replica) bumps the row version, and the next read unseals afresh.
 */
@ApplicationScoped
public class KeysetCache {

    private static final int MAX_ENTRIES = 10_000;

    private final RootKeys rootKeys;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    @Inject
    public KeysetCache(RootKeys rootKeys) {
        this.rootKeys = rootKeys;
    }

    public VersionedKeyset keysetOf(Key key) {
        Entry entry = entries.get(key.name);
        if (entry != null && entry.rowVersion == key.rowVersion && entry.sealedBy.equals(key.sealedBy)) {
            return entry.keyset;
        }
        VersionedKeyset keyset = rootKeys.unseal(key);
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(key.name, new Entry(key.rowVersion, key.sealedBy, keyset));
        return keyset;
    }

    public void clear() {
        entries.clear();
    }

    private record Entry(long rowVersion, String sealedBy, VersionedKeyset keyset) {}
}
