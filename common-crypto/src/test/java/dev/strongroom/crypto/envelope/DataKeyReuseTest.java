package dev.strongroom.crypto.envelope;

import static dev.strongroom.crypto.envelope.EnvelopeEncryptionTest.join;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strongroom.crypto.DecryptionFailedException;
import dev.strongroom.crypto.keys.VersionedKeyset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Envelope format 2: values of one reuse window share a data key that was wrapped once. */
class DataKeyReuseTest {

    private static final byte[] AD_1 = "secret/a/version/1".getBytes(UTF_8);
    private static final byte[] AD_2 = "secret/b/version/7".getBytes(UTF_8);

    private final LocalKeyEncryptionKeys local = new LocalKeyEncryptionKeys().put("secrets", VersionedKeyset.generate());
    private final CountingKeks keks = new CountingKeks(local);
    private final DataKeyCache cache = new DataKeyCache(100, Duration.ofMinutes(5));
    private final AtomicLong clock = new AtomicLong();
    private final EnvelopeEncryption envelopes = new EnvelopeEncryption(keks, cache, new DataKeyReuse(Duration.ofMinutes(5), 3), clock::get);

    @Test
    void valuesOfOneWindowShareOneWrapAndStillBindTheirOwnAssociatedData() {
        byte[] first = join(envelopes.encrypt("secrets", "one".getBytes(UTF_8), AD_1));
        byte[] second = join(envelopes.encrypt("secrets", "two".getBytes(UTF_8), AD_2));

        assertThat(keks.wraps.get()).isEqualTo(1);
        assertThat(envelopes.sharedDataKeysWrapped()).isEqualTo(1);
        assertThat(first[0]).isEqualTo(Envelope.FORMAT_SHARED_KEY);
        assertThat(EnvelopeEncryption.describe(first).wrappedKey()).isEqualTo(EnvelopeEncryption.describe(second).wrappedKey());
        cache.clear();
        assertThat(join(envelopes.decrypt(first, AD_1))).asString(UTF_8).isEqualTo("one");
        assertThat(join(envelopes.decrypt(second, AD_2))).asString(UTF_8).isEqualTo("two");
        // One value's envelope does not open as another's, with or without the data key cached.
        assertThatThrownBy(() -> join(envelopes.decrypt(first, AD_2))).isInstanceOf(DecryptionFailedException.class);
        cache.clear();
        assertThatThrownBy(() -> join(envelopes.decrypt(first, AD_2))).isInstanceOf(DecryptionFailedException.class);
    }

    @Test
    void aDataKeySealsAtMostMaxValuesAndLivesAtMostMaxAge() {
        List<byte[]> wrapped = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            wrapped.add(EnvelopeEncryption.describe(join(envelopes.encrypt("secrets", "v".getBytes(UTF_8), AD_1))).wrappedKey());
        }
        assertThat(keks.wraps.get()).as("3 values per data key").isEqualTo(3);
        assertThat(wrapped.get(2)).isEqualTo(wrapped.get(0));
        assertThat(wrapped.get(3)).isNotEqualTo(wrapped.get(2));

        clock.addAndGet(Duration.ofMinutes(5).toNanos());
        join(envelopes.encrypt("secrets", "v".getBytes(UTF_8), AD_1));
        assertThat(keks.wraps.get()).as("the 7th value's key was 5 minutes old").isEqualTo(4);
    }

    @Test
    void concurrentWritersShareOnePendingWrapAndAFailedWrapIsRetriedByTheNextWrite() {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        keks.gate = gate;
        List<CompletionStage<byte[]>> pending = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pending.add(envelopes.encrypt("secrets", ("v" + i).getBytes(UTF_8), AD_1));
        }
        assertThat(keks.wraps.get()).isEqualTo(1);
        gate.completeExceptionally(new IllegalStateException("key-service is down"));
        for (CompletionStage<byte[]> stage : pending) {
            assertThatThrownBy(() -> join(stage)).hasMessageContaining("key-service is down");
        }

        keks.gate = null;
        byte[] envelope = join(envelopes.encrypt("secrets", "after".getBytes(UTF_8), AD_1));
        assertThat(keks.wraps.get()).isEqualTo(2);
        assertThat(join(envelopes.decrypt(envelope, AD_1))).asString(UTF_8).isEqualTo("after");
    }

    @Test
    void theFormatByteIsAuthenticatedAndRewrapKeepsTheSharedFormat() {
        byte[] envelope = join(envelopes.encrypt("secrets", "value".getBytes(UTF_8), AD_1));
        byte[] downgraded = envelope.clone();
        downgraded[0] = Envelope.FORMAT;
        cache.clear();
        assertThatThrownBy(() -> join(envelopes.decrypt(downgraded, AD_1))).isInstanceOf(DecryptionFailedException.class);
        join(envelopes.decrypt(envelope, AD_1));
        assertThatThrownBy(() -> join(envelopes.decrypt(downgraded, AD_1))).as("data key cached").isInstanceOf(DecryptionFailedException.class);

        local.rotate("secrets");
        byte[] rewrapped = join(envelopes.rewrap(envelope, AD_1));
        assertThat(rewrapped[0]).isEqualTo(Envelope.FORMAT_SHARED_KEY);
        assertThat(EnvelopeEncryption.describe(rewrapped).kekVersion()).isEqualTo(2);
        assertThat(EnvelopeEncryption.describe(rewrapped).valueCiphertext()).isEqualTo(EnvelopeEncryption.describe(envelope).valueCiphertext());
        cache.clear();
        assertThat(join(envelopes.decrypt(rewrapped, AD_1))).asString(UTF_8).isEqualTo("value");
    }

    @Test
    void renewStartsAFreshDataKeyAndNoReuseKeepsFormatOne() {
        join(envelopes.encrypt("secrets", "v".getBytes(UTF_8), AD_1));
        envelopes.renewSharedDataKeys();
        join(envelopes.encrypt("secrets", "v".getBytes(UTF_8), AD_1));
        assertThat(keks.wraps.get()).isEqualTo(2);

        EnvelopeEncryption perValue = new EnvelopeEncryption(keks, cache, DataKeyReuse.NONE);
        byte[] envelope = join(perValue.encrypt("secrets", "v".getBytes(UTF_8), AD_1));
        assertThat(envelope[0]).isEqualTo(Envelope.FORMAT);
        assertThat(join(envelopes.decrypt(envelope, AD_1))).asString(UTF_8).isEqualTo("v");
        assertThat(new DataKeyReuse(Duration.ofMinutes(1), 1).enabled()).isFalse();
        assertThatThrownBy(() -> new DataKeyReuse(Duration.ofMinutes(1), DataKeyReuse.MAX_VALUES_LIMIT + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Counts wraps; while {@code gate} is set, wraps complete only when it does. */
    static final class CountingKeks implements KeyEncryptionKeys {
        private final KeyEncryptionKeys delegate;
        final AtomicInteger wraps = new AtomicInteger();
        volatile CompletableFuture<Void> gate;

        CountingKeks(KeyEncryptionKeys delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletionStage<WrappedKey> wrap(String kekName, byte[] dataKey, byte[] context) {
            wraps.incrementAndGet();
            byte[] copy = dataKey.clone(); // the caller wipes its array once the stage completes
            CompletableFuture<Void> waitFor = gate;
            return waitFor == null ? delegate.wrap(kekName, copy, context)
                    : waitFor.thenCompose(ignored -> delegate.wrap(kekName, copy, context));
        }

        @Override
        public CompletionStage<byte[]> unwrap(String kekName, byte[] wrappedKey, byte[] context) {
            return delegate.unwrap(kekName, wrappedKey, context);
        }

        @Override
        public CompletionStage<WrappedKey> rewrap(String kekName, byte[] wrappedKey, byte[] context) {
            return delegate.rewrap(kekName, wrappedKey, context);
        }
    }
}
