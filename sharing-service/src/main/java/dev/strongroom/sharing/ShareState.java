package dev.strongroom.sharing;

import java.util.Locale;

/** Where a share is in its life; every state but {@link #ACTIVE} is final and has no ciphertext. */
public enum ShareState {
    /** Opens while views are left and it has not expired. */
    ACTIVE,
    /** Its last view was spent. */
    USED,
    /** Its expiry passed. */
    EXPIRED,
    /** Its creator or an admin revoked it. */
    REVOKED,
    /** Too many wrong passphrases. */
    BURNT;

    /** The form stored and shown: lowercase. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ShareState of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
