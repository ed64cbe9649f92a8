package dev.strongroom.auth.service;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * TOTP (RFC 6238) over HOTP (RFC 4226) with javax.crypto HMAC: 30-second steps from the Unix epoch,
 * dynamic truncation. Strongroom enrols SHA-1 / 6 digits, what every authenticator app supports.
 */
public final class Totp {

    public static final int STEP_SECONDS = 30;
    public static final int DIGITS = 6;
    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private Totp() {}

    /** The time step of an instant (seconds since the epoch). */
    public static long step(long epochSeconds) {
        return Math.floorDiv(epochSeconds, STEP_SECONDS);
    }

    /** The code of one time step. {@code algorithm}: HmacSHA1, HmacSHA256 or HmacSHA512. */
    public static String code(byte[] secret, long step, int digits, String algorithm) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret, algorithm));
            byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = h[h.length - 1] & 0x0f;
            int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8) | (h[offset + 3] & 0xff);
            StringBuilder code = new StringBuilder(Integer.toString(binary % POWERS[digits]));
            while (code.length() < digits) {
                code.insert(0, '0');
            }
            return code.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC " + algorithm + " is missing from this JVM", e);
        }
    }

    /**
     * The time step whose code matches, searching {@code drift} steps either side of {@code nowStep}
     * and only steps after {@code lastUsedStep} (a code is accepted once: replay refused); -1 when none.
     */
    public static long matchingStep(byte[] secret, String presented, long nowStep, int drift, long lastUsedStep) {
        if (presented == null || !presented.matches("\\d{" + DIGITS + "}")) {
            return -1;
        }
        long found = -1;
        for (long s = nowStep - drift; s <= nowStep + drift; s++) {
            boolean equal = MessageDigest.isEqual(code(secret, s, DIGITS, "HmacSHA1").getBytes(), presented.getBytes());
            if (equal && s > lastUsedStep && found < 0) {
                found = s;
            }
        }
        return found;
    }
}
