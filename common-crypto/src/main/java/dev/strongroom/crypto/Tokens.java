package dev.strongroom.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Bearer-style random tokens (refresh tokens, share links, client secrets) and the form they are
 * stored in. A token is 256 random bits, base64url without padding (43 characters); only its
 * SHA-256 is stored, so a database reader cannot replay it. SHA-256 without a salt is right here
 * because the input is uniformly random, not a human-chosen password.
 */
public final class Tokens {

    /** Random bytes in a token: 256 bits. */
    public static final int TOKEN_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private Tokens() {}

    /** A fresh random token, URL-safe. */
    public static String newToken() {
        return URL.encodeToString(randomBytes(TOKEN_BYTES));
    }

    public static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** The storage form of a token: SHA-256 of its UTF-8 bytes, 32 bytes. */
    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Compares a presented token with a stored hash in constant time. */
    public static boolean matches(String presented, byte[] storedHash) {
        return presented != null && MessageDigest.isEqual(hash(presented), storedHash);
    }
}
