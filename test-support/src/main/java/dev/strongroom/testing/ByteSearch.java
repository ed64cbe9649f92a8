package dev.strongroom.testing;

/** For leak checks: where a secret's bytes stand inside stored or sent bytes. */
public final class ByteSearch {

    private ByteSearch() {}

    /** The first position of {@code needle} in {@code haystack}, or -1. */
    public static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
