package dev.strongroom.auth.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

    private final PasswordPolicy policy = new PasswordPolicy(12, 128, Optional.empty());

    @Test
    void shipsAtLeastTenThousandCommonPasswords() {
        assertThat(policy.deniedCount()).isGreaterThanOrEqualTo(10_000);
    }

    @Test
    void refusesCommonPasswordsWhateverTheirCase() {
        assertThat(policy.problem("tangerine orbit sailboat", "bob")).isNull();
        assertThat(policy.problem("PasswordPassword", "bob")).contains("common");
        assertThat(policy.problem("1qaz2wsx3edc", "bob")).contains("common");
        assertThat(policy.problem("QAZWSXEDCRFV", "bob")).contains("common");
    }

    @Test
    void countsCodePointsAfterNfkcNormalisation() {
        assertThat(policy.problem("short", "bob")).contains("at least 12");
        // 12 emoji are 12 code points (24 UTF-16 units): long enough, any Unicode accepted.
        assertThat(policy.problem("🔐".repeat(12), "bob")).isNull();
        assertThat(policy.problem("x".repeat(129), "bob")).contains("at most 128");
        // Full-width letters normalise to ASCII, so they cannot dodge the list.
        assertThat(PasswordPolicy.normalize("ｐａｓｓｗｏｒｄ")).isEqualTo("password");
    }

    @Test
    void refusesPasswordsContainingTheUsername() {
        assertThat(policy.problem("my name is Alice-Smith!", "alice-smith")).contains("username");
    }
}
