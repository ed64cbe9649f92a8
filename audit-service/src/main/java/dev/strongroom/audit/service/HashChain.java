package dev.strongroom.audit.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Links of the audit chain: {@code hash = SHA-256(prev_hash || UTF-8(canonical event))}. */
public final class HashChain {

    /** The predecessor of every chain's first record. */
    public static final byte[] GENESIS = new byte[32];

    private HashChain() {}

    public static byte[] link(byte[] previousHash, String canonicalEvent) {
        MessageDigest sha256 = sha256();
        sha256.update(previousHash);
        sha256.update(canonicalEvent.getBytes(StandardCharsets.UTF_8));
        return sha256.digest();
    }

    public static String hex(byte[] hash) {
        return HexFormat.of().formatHex(hash);
    }

    /** A fresh SHA-256 digest (also for the archive files' checksums). */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
