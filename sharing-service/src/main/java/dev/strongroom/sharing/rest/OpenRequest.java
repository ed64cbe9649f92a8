package dev.strongroom.sharing.rest;

/** {@code POST /v1/shares/{token}/open}. {@code toString} hides the passphrase. */
public record OpenRequest(String passphrase) {
    @Override
    public String toString() {
        return "OpenRequest[passphrase=" + (passphrase == null ? "none" : "********") + "]";
    }
}
