package dev.strongroom.crypto.envelope;

import com.google.crypto.tink.Aead;
import dev.strongroom.crypto.DataKeys;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The data key each KEK currently lends to new values (envelope format 2), renewed per
 * {@link DataKeyReuse}. Concurrent writers share one pending wrap; a failed wrap is forgotten, so the
 * next write tries again. Thread-safe, never blocks.
 */
final class SharedDataKeys {

    /** A wrapped data key, its primitive, when it was made and how many values it sealed. */
    record Lease(WrappedKey wrapped, Aead aead, long madeAtNanos, AtomicLong uses) {
        @Override
        public String toString() {
            return "Lease[version=" + wrapped.keyVersion() + ", uses=" + uses + "]";
        }
    }

    private final KeyEncryptionKeys keks;
    private final DataKeyCache cache;
    private final DataKeyReuse reuse;
    private final LongSupplier nanoTime;
    private final Map<String, CompletableFuture<Lease>> current = new ConcurrentHashMap<>();
    private final AtomicLong wraps = new AtomicLong();

    SharedDataKeys(KeyEncryptionKeys keks, DataKeyCache cache, DataKeyReuse reuse, LongSupplier nanoTime) {
        this.keks = keks;
        this.cache = cache;
        this.reuse = reuse;
        this.nanoTime = nanoTime;
    }

    /** A lease with one use taken for the caller; a fresh data key when the current one is spent. */
    CompletionStage<Lease> take(String kekName) {
        CompletableFuture<Lease> made = new CompletableFuture<>();
        CompletableFuture<Lease> lease = current.compute(kekName, (name, old) -> old != null && !spent(old) ? old : made);
        if (lease == made) {
            wrapFresh(kekName, made);
        }
        return lease.thenCompose(taken -> taken.uses().incrementAndGet() <= reuse.maxValues()
                ? CompletableFuture.completedFuture(taken)
                : take(kekName));
    }

    /** Data keys wrapped so far (one key-service call each). */
    long wraps() {
        return wraps.get();
    }

    /** Forgets the current data keys: the next value gets a fresh one (e.g. after a KEK rotation). */
    void renew() {
        current.clear();
    }

    private boolean spent(CompletableFuture<Lease> lease) {
        if (!lease.isDone()) {
            return false; // a wrap in flight: share it
        }
        if (lease.isCompletedExceptionally()) {
            return true;
        }
        Lease taken = lease.join();
        return taken.uses().get() >= reuse.maxValues() || nanoTime.getAsLong() - taken.madeAtNanos() >= reuse.maxAge().toNanos();
    }

    private void wrapFresh(String kekName, CompletableFuture<Lease> made) {
        byte[] dataKey = DataKeys.generate();
        Aead aead;
        try {
            aead = DataKeys.aead(dataKey);
        } catch (GeneralSecurityException e) {
            Arrays.fill(dataKey, (byte) 0);
            made.completeExceptionally(new IllegalStateException("cannot create a data key", e));
            return;
        }
        CompletionStage<WrappedKey> wrapping;
        try {
            wrapping = keks.wrap(kekName, dataKey, Envelope.sharedKeyAssociatedData(kekName));
        } catch (RuntimeException e) {
            wrapping = CompletableFuture.failedFuture(e);
        }
        wrapping.whenComplete((wrapped, failure) -> {
            Arrays.fill(dataKey, (byte) 0);
            if (failure != null) {
                made.completeExceptionally(failure);
                return;
            }
            wraps.incrementAndGet();
            // Reads of values it sealed need no unwrap while the cache keeps it.
            cache.put(kekName, wrapped.ciphertext(), aead);
            made.complete(new Lease(wrapped, aead, nanoTime.getAsLong(), new AtomicLong()));
        });
    }
}
