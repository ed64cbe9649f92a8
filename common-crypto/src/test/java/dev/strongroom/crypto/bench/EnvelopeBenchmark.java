package dev.strongroom.crypto.bench;

import dev.strongroom.crypto.envelope.DataKeyCache;
import dev.strongroom.crypto.envelope.EnvelopeEncryption;
import dev.strongroom.crypto.envelope.LocalKeyEncryptionKeys;
import dev.strongroom.crypto.keys.VersionedKeyset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Envelope encryption as a service sees it: encrypt (fresh data key, wrap, seal), decrypt with the data
 * key in the cache (no unwrap) and without it (unwrap every time). Two KEK placements: in process
 * (the cryptographic cost alone) and key-service over loopback HTTP (the network hop the cache saves).
 * Run: see docs/keys.md ("Benchmarks").
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EnvelopeBenchmark {

    private static final byte[] AD = "secret/0192f7c4-5b1e-7c3a-9d2e-1f0a2b3c4d5e/version/7".getBytes(StandardCharsets.UTF_8);

    /** {@code local}: KEK in this process; {@code http}: KEK in a loopback key-service stand-in. */
    @Param({"local", "http"})
    public String kek;

    /** Bytes in the secret value. */
    @Param({"256"})
    public int valueBytes;

    private LoopbackKeyService loopback;
    private EnvelopeEncryption cached;
    private EnvelopeEncryption uncached;
    private byte[] value;
    private byte[] envelope;

    @Setup(Level.Trial)
    public void setUp() {
        value = new byte[valueBytes];
        java.util.Arrays.fill(value, (byte) 'x');
        var keks = kek.equals("http")
                ? (loopback = LoopbackKeyService.start(VersionedKeyset.generate())).client()
                : new LocalKeyEncryptionKeys().put("secrets", VersionedKeyset.generate());
        cached = new EnvelopeEncryption(keks, new DataKeyCache(10_000, Duration.ofMinutes(5)));
        uncached = new EnvelopeEncryption(keks, DataKeyCache.disabled());
        envelope = cached.encrypt("secrets", value, AD).toCompletableFuture().join();
        cached.decrypt(envelope, AD).toCompletableFuture().join();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (loopback != null) {
            loopback.stop();
        }
    }

    /** A new version of a secret: fresh data key, its wrap by the KEK, the value sealed. */
    @Benchmark
    public byte[] encrypt() {
        return uncached.encrypt("secrets", value, AD).toCompletableFuture().join();
    }

    /** A hot read: the data key is in the cache, no KEK call. */
    @Benchmark
    public byte[] decryptCacheHit() {
        return cached.decrypt(envelope, AD).toCompletableFuture().join();
    }

    /** A cold read: the data key is unwrapped by the KEK every time. */
    @Benchmark
    public byte[] decryptCacheMiss() {
        return uncached.decrypt(envelope, AD).toCompletableFuture().join();
    }
}
