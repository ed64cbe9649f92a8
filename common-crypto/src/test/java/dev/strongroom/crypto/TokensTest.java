package dev.strongroom.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokensTest {

    @Test
    void tokensAreUrlSafeAnd256BitsOfRandomness() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String token = Tokens.newToken();
            assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
            assertThat(seen.add(token)).as("tokens repeat").isTrue();
        }
    }

    @Test
    void storedHashMatchesOnlyTheSameToken() {
        String token = Tokens.newToken();
        byte[] stored = Tokens.hash(token);
        assertThat(stored).hasSize(32);
        assertThat(Tokens.matches(token, stored)).isTrue();
        assertThat(Tokens.matches(Tokens.newToken(), stored)).isFalse();
        assertThat(Tokens.matches(token.substring(1), stored)).isFalse();
        assertThat(Tokens.matches(null, stored)).isFalse();
    }
}
