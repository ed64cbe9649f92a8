package dev.strongroom.sharing.rest;

/** {@code POST /v1/shares/{token}/reveal}. {@code toString} hides key and passphrase. */
public record RevealRequest(String key, String passphrase) {
    @Override
    public String toString() {
        return "RevealRequest[key=********]";
    }
}
