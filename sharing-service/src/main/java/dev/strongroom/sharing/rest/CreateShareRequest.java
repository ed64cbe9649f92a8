package dev.strongroom.sharing.rest;

/** {@code POST /v1/shares}. {@code toString} hides the passphrase. */
public record CreateShareRequest(String secretId, Integer version, Long ttlSeconds, Integer maxViews, String passphrase, String notifyEmail) {
    @Override
    public String toString() {
        return "CreateShareRequest[" + secretId + " v" + version + ", passphrase=" + (passphrase == null ? "none" : "********") + "]";
    }
}
