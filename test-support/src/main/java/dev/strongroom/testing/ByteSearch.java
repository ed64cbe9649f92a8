package dev.strongroom.testing;

import java.nio.charset.StandardCharsets;

/** For leak checks: where a secret's bytes stand inside stored or sent bytes. */
public final class ByteSearch {

    private ByteSearch() {}

    /** The first position of {@code needle} in {@code haystack}, or -1. */
    public static int indexOf(byte[] haystack, byte[] needle) {
        // ISO-8859-1 maps each byte to one char, so the string position is the byte position
        return new String(haystack, StandardCharsets.ISO_8859_1).indexOf(new String(needle, StandardCharsets.ISO_8859_1));
    }
}
