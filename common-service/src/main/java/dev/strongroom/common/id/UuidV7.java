package dev.strongroom.common.id;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * RFC 9562 UUID version 7: 48 bits of Unix milliseconds, then random bits. Ids made in one JVM
 * increase strictly (within a millisecond the 12-bit {@code rand_a} field counts up), so sorting
 * by id sorts by creation time.
 */
public final class UuidV7 {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Clock CLOCK = Clock.systemUTC();
    private static long lastMillis;
    private static int counter;

    private UuidV7() {}

    public static UUID next() {
        long millis;
        int sequence;
        synchronized (UuidV7.class) {
            millis = Math.max(CLOCK.millis(), lastMillis);
            if (millis == lastMillis) {
                counter++;
                if (counter > 0xfff) {
                    millis++;
                    counter = RANDOM.nextInt(0x800);
                }
            } else {
                counter = RANDOM.nextInt(0x800);
            }
            lastMillis = millis;
            sequence = counter;
        }
        long msb = (millis << 16) | 0x7000L | sequence;
        long lsb = (RANDOM.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** The creation time of a version 7 id, in Unix milliseconds. */
    public static long millis(UUID id) {
        return id.getMostSignificantBits() >>> 16;
    }

    public static byte[] toBytes(UUID id) {
        byte[] bytes = new byte[16];
        long msb = id.getMostSignificantBits();
        long lsb = id.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (msb >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (lsb >>> (56 - 8 * i));
        }
        return bytes;
    }

    public static UUID fromBytes(byte[] bytes) {
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (bytes[i] & 0xff);
            lsb = (lsb << 8) | (bytes[8 + i] & 0xff);
        }
        return new UUID(msb, lsb);
    }
}
