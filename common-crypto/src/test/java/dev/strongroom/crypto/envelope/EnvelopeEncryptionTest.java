package dev.strongroom.crypto.envelope;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strongroom.crypto.DecryptionFailedException;
import dev.strongroom.crypto.keys.VersionedKeyset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class EnvelopeEncryptionTest {

    private static final byte[] AD = "secret/0192f7c4/version/3".getBytes(UTF_8);

    private final LocalKeyEncryptionKeys keks = new LocalKeyEncryptionKeys().put("secrets", VersionedKeyset.generate());
    private final DataKeyCache cache = new DataKeyCache(100, Duration.ofMinutes(5));
    private final EnvelopeEncryption envelopes = new EnvelopeEncryption(keks, cache);

    @Test
    void roundTripsWithAFreshDataKeyPerValue() {
        byte[] first = join(envelopes.encrypt("secrets", "s3cr3t".getBytes(UTF_8), AD));
        byte[] second = join(envelopes.encrypt("secrets", "s3cr3t".getBytes(UTF_8), AD));

        assertThat(join(envelopes.decrypt(first, AD))).asString(UTF_8).isEqualTo("s3cr3t");
        assertThat(EnvelopeEncryption.describe(first).wrappedKey()).isNotEqualTo(EnvelopeEncryption.describe(second).wrappedKey());
        assertThat(first).isNotEqualTo(second);
        assertThat(indexOf(first, "s3cr3t".getBytes(UTF_8))).isEqualTo(-1);
    }

    @Test
    void recordsKekNameAndVersionAndFormat() {
        byte[] envelope = join(envelopes.encrypt("secrets", "v".getBytes(UTF_8), AD));
        keks.rotate("secrets");
        byte[] after = join(envelopes.encrypt("secrets", "v".getBytes(UTF_8), AD));

        assertThat(envelope[0]).isEqualTo(Envelope.FORMAT);
        assertThat(EnvelopeEncryption.describe(envelope).kekName()).isEqualTo("secrets");
        assertThat(EnvelopeEncryption.describe(envelope).kekVersion()).isEqualTo(1);
        assertThat(EnvelopeEncryption.describe(after).kekVersion()).isEqualTo(2);
        cache.clear();
        assertThat(join(envelopes.decrypt(envelope, AD))).asString(UTF_8).isEqualTo("v");
    }

    @Test
    void wrongAssociatedDataFailsWithAndWithoutCachedKey() {
        byte[] envelope = join(envelopes.encrypt("secrets", "v".getBytes(UTF_8), AD));
        byte[] otherAd = "secret/0192f7c4/version/4".getBytes(UTF_8);

        assertThatThrownBy(() -> join(envelopes.decrypt(envelope, otherAd))).isInstanceOf(DecryptionFailedException.class);
        cache.clear();
        assertThatThrownBy(() -> join(envelopes.decrypt(envelope, otherAd))).isInstanceOf(DecryptionFailedException.class);
        assertThatThrownBy(() -> join(envelopes.encrypt("secrets", "v".getBytes(UTF_8), new byte[0])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("associated data is required");
    }

    @Test
    void everyFlippedByteFails() {
        byte[] envelope = join(envelopes.encrypt("secrets", "value".getBytes(UTF_8), AD));
        for (int i = 0; i < envelope.length; i++) {
            byte[] flipped = envelope.clone();
            flipped[i] ^= 0x01;
            cache.clear();
            assertThatThrownBy(() -> join(envelopes.decrypt(flipped, AD))).as("byte %d flipped", i).isInstanceOf(RuntimeException.class);
            // and with the original data key cached
            join(envelopes.decrypt(envelope, AD));
            assertThatThrownBy(() -> join(envelopes.decrypt(flipped, AD))).as("byte %d flipped, key cached", i).isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void truncatedOrForeignBytesFailAsDecryptionFailures() {
        byte[] envelope = join(envelopes.encrypt("secrets", "value".getBytes(UTF_8), AD));
        for (int length : new int[] {0, 1, 5, 20, envelope.length - 1}) {
            byte[] cut = java.util.Arrays.copyOf(envelope, length);
            assertThatThrownBy(() -> join(envelopes.decrypt(cut, AD))).as("cut to %d", length).isInstanceOf(DecryptionFailedException.class);
        }
        assertThatThrownBy(() -> join(envelopes.decrypt("plain text".getBytes(UTF_8), AD))).isInstanceOf(DecryptionFailedException.class);
    }

    @Test
    void rewrapMovesTheDataKeyToTheLatestVersionAndKeepsTheValue() {
        byte[] envelope = join(envelopes.encrypt("secrets", "value".getBytes(UTF_8), AD));
        keks.rotate("secrets");
        byte[] rewrapped = join(envelopes.rewrap(envelope, AD));

        assertThat(EnvelopeEncryption.describe(rewrapped).kekVersion()).isEqualTo(2);
        assertThat(EnvelopeEncryption.describe(rewrapped).valueCiphertext()).isEqualTo(EnvelopeEncryption.describe(envelope).valueCiphertext());
        cache.clear();
        assertThat(join(envelopes.decrypt(rewrapped, AD))).asString(UTF_8).isEqualTo("value");
    }

    @Test
    void cacheSavesTheUnwrapOfAHotRead() {
        byte[] envelope = join(envelopes.encrypt("secrets", "value".getBytes(UTF_8), AD));
        cache.clear();
        long hits = cache.hits();
        long misses = cache.misses();

        join(envelopes.decrypt(envelope, AD));
        join(envelopes.decrypt(envelope, AD));
        join(envelopes.decrypt(envelope, AD));

        assertThat(cache.misses() - misses).isEqualTo(1);
        assertThat(cache.hits() - hits).isEqualTo(2);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void unknownKekFailsAndToStringShowsNoBytes() {
        assertThatThrownBy(() -> join(envelopes.encrypt("nope", "v".getBytes(UTF_8), AD))).hasMessageContaining("no key-encryption key named nope");
        assertThatThrownBy(() -> join(envelopes.encrypt("bad name!", "v".getBytes(UTF_8), AD))).isInstanceOf(IllegalArgumentException.class);
        Envelope described = EnvelopeEncryption.describe(join(envelopes.encrypt("secrets", "v".getBytes(UTF_8), AD)));
        assertThat(described.toString()).isEqualTo("Envelope[format=1, kek=secrets, version=1, valueBytes=29]");
    }

    static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        // ISO-8859-1 maps each byte to one char, so the string position is the byte position
        return new String(haystack, StandardCharsets.ISO_8859_1).indexOf(new String(needle, StandardCharsets.ISO_8859_1));
    }
}
