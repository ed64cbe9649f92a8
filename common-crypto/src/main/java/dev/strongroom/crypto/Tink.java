package dev.strongroom.crypto;

import com.google.crypto.tink.aead.AeadConfig;
import java.security.GeneralSecurityException;

/** Registers Tink's AEAD key types once per JVM; every class of this module that parses keysets calls {@link #init()}. */
public final class Tink {

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Tink() {}

    /** Idempotent; the work happens in the static initialiser. */
    public static void init() {
        // class loading did it
    }
}
