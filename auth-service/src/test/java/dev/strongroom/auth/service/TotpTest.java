package dev.strongroom.auth.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RFC 6238 appendix B test vectors, and the acceptance window. */
class TotpTest {

    private static final byte[] SHA1_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA256_SEED = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA512_SEED = "1234567890123456789012345678901234567890123456789012345678901234".getBytes(StandardCharsets.US_ASCII);

    @Test
    void matchesRfc6238Vectors() {
        long[] times = {59L, 1111111109L, 1111111111L, 1234567890L, 2000000000L, 20000000000L};
        String[] sha1 = {"94287082", "07081804", "14050471", "89005924", "69279037", "65353130"};
        String[] sha256 = {"46119246", "68084774", "67062674", "91819424", "90698825", "77737706"};
        String[] sha512 = {"90693936", "25091201", "99943326", "93441116", "38618901", "47863826"};
        for (int i = 0; i < times.length; i++) {
            long step = Totp.step(times[i]);
            assertThat(Totp.code(SHA1_SEED, step, 8, "HmacSHA1")).isEqualTo(sha1[i]);
            assertThat(Totp.code(SHA256_SEED, step, 8, "HmacSHA256")).isEqualTo(sha256[i]);
            assertThat(Totp.code(SHA512_SEED, step, 8, "HmacSHA512")).isEqualTo(sha512[i]);
        }
    }

    @Test
    void acceptsOneStepOfDriftAndNeverAReplay() {
        long now = 1_000_000;
        String previous = Totp.code(SHA1_SEED, now - 1, 6, "HmacSHA1");
        String next = Totp.code(SHA1_SEED, now + 1, 6, "HmacSHA1");
        String tooOld = Totp.code(SHA1_SEED, now - 2, 6, "HmacSHA1");
        assertThat(Totp.matchingStep(SHA1_SEED, previous, now, 1, 0)).isEqualTo(now - 1);
        assertThat(Totp.matchingStep(SHA1_SEED, next, now, 1, 0)).isEqualTo(now + 1);
        assertThat(Totp.matchingStep(SHA1_SEED, tooOld, now, 1, 0)).isEqualTo(-1);
        // The step was used already: the same code (or an older one) is refused.
        assertThat(Totp.matchingStep(SHA1_SEED, previous, now, 1, now - 1)).isEqualTo(-1);
        assertThat(Totp.matchingStep(SHA1_SEED, "12345", now, 1, 0)).isEqualTo(-1);
    }

    @Test
    void base32RoundTrips() {
        byte[] data = "foobar".getBytes(StandardCharsets.US_ASCII);
        assertThat(Base32.encode(data)).isEqualTo("MZXW6YTBOI");
        assertThat(Base32.decode("MZXW6YTBOI")).isEqualTo(data);
    }
}
