package dev.strongroom.crypto;

import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.hybrid.HybridConfig;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import java.security.GeneralSecurityException;

/**
 * Registers Tink's key types once per JVM (AEAD; hybrid and streaming AEAD for backup archives); every
 * class of this module that parses keysets calls {@link #init()}.
 */
public final class Tink {

    static {
        try {
            AeadConfig.register();
            HybridConfig.register();
            StreamingAeadConfig.register();
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
