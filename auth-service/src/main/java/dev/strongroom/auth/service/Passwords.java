package dev.strongroom.auth.service;

import dev.strongroom.auth.config.AuthConfig;
import dev.strongroom.crypto.passwords.Argon2Parameters;
import dev.strongroom.crypto.passwords.PasswordHasher;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** The configured hasher and policy, plus a dummy hash so unknown users cost one Argon2 run like known ones. */
@Singleton
public class Passwords {

    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private volatile String dummyHash;

    @Inject
    Passwords(AuthConfig config) {
        AuthConfig.Password password = config.password();
        this.hasher = new PasswordHasher(new Argon2Parameters(password.argon2().memoryKib(), password.argon2().iterations(),
                password.argon2().parallelism()));
        this.policy = new PasswordPolicy(password.minLength(), password.maxLength(), password.extraDenyList());
    }

    public String hash(String normalized) {
        return hasher.hash(normalized);
    }

    public boolean verify(String normalized, String phc) {
        return hasher.verify(normalized, phc);
    }

    /** Spends the same work as verifying a real hash, and always fails. */
    public boolean verifyUnknownUser(String normalized) {
        String dummy = dummyHash;
        if (dummy == null) {
            dummy = hasher.hash("strongroom-dummy-password");
            dummyHash = dummy;
        }
        hasher.verify(normalized, dummy);
        return false;
    }

    public boolean needsRehash(String phc) {
        return hasher.needsRehash(phc);
    }

    /** Why the normalised password is refused for this user name, or null. */
    public String problem(String normalized, String username) {
        return policy.problem(normalized, username);
    }

    public Argon2Parameters parameters() {
        return hasher.parameters();
    }
}
