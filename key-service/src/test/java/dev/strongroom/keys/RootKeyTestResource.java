package dev.strongroom.keys;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.strongroom.crypto.Tink;
import dev.strongroom.crypto.keys.RootKey;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Map;

/** A fresh root key file per JVM for the app under test ({@code strongroom.keys.root}); tests read it through {@link #rootKey()}. */
public class RootKeyTestResource implements QuarkusTestResourceLifecycleManager {

    private static Path file;

    @Override
    public Map<String, String> start() {
        return Map.of("strongroom.keys.root", file().toString());
    }

    @Override
    public void stop() {}

    static synchronized Path file() {
        if (file == null) {
            file = newRootKeyFile();
        }
        return file;
    }

    static RootKey rootKey() {
        return RootKey.load(file().toString());
    }

    static Path newRootKeyFile() {
        Tink.init();
        try {
            Path path = Files.createTempFile("strongroom-test-root-", ".json");
            path.toFile().deleteOnExit();
            KeysetHandle handle = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            Files.writeString(path, TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get()));
            return path;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
