package dev.strongroom.crypto.passwords;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    @Test
    void defaultParametersAreStoredWithTheHash() {
        PasswordHasher hasher = new PasswordHasher(Argon2Parameters.defaults());
        String hash = hasher.hash("correct horse battery staple");

        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(hasher.verify("correct horse battery staple", hash)).isTrue();
        assertThat(hasher.verify("correct horse battery stapler", hash)).isFalse();
        assertThat(hasher.needsRehash(hash)).isFalse();
    }

    @Test
    void saltsEveryHash() {
        PasswordHasher hasher = new PasswordHasher(new Argon2Parameters(64, 1, 1));
        assertThat(hasher.hash("same password")).isNotEqualTo(hasher.hash("same password"));
    }

    @Test
    void hashesWithOtherParametersStillVerifyAndAskForARehash() {
        String weak = new PasswordHasher(new Argon2Parameters(64, 1, 1)).hash("an old password here");
        PasswordHasher current = new PasswordHasher(new Argon2Parameters(128, 2, 1));
        assertThat(current.verify("an old password here", weak)).isTrue();
        assertThat(current.needsRehash(weak)).isTrue();
    }

    @Test
    void malformedHashesNeverVerify() {
        PasswordHasher hasher = new PasswordHasher(new Argon2Parameters(64, 1, 1));
        assertThat(hasher.verify("x", "$2a$10$abcdefghijklmnopqrstuv")).isFalse();
        assertThat(hasher.verify("x", null)).isFalse();
    }
}
