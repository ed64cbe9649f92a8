package dev.strongroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretRefTest {

    @Test
    void environmentIsTheFirstSegmentAndTheNameKeepsItsSlashes() {
        assertThat(SecretRef.parse("production/db/password")).isEqualTo(new SecretRef(null, "production", "db/password"));
        assertThat(SecretRef.parse("dev/api-key")).isEqualTo(new SecretRef(null, "dev", "api-key"));
    }

    @Test
    void aUuidIsAnId() {
        SecretRef ref = SecretRef.parse("0193C1C2-1111-7AAA-8BBB-0123456789AB");
        assertThat(ref.byName()).isFalse();
        assertThat(ref.id()).isEqualTo("0193c1c2-1111-7aaa-8bbb-0123456789ab");
    }

    @Test
    void malformedNamesAreUsageErrors() {
        for (String bad : new String[] {"nosplit", "/x", "prod/", "prod/has space", "pro d/x", ""}) {
            assertThatThrownBy(() -> SecretRef.parse(bad)).as(bad)
                    .isInstanceOf(CliException.class)
                    .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(ExitCodes.USAGE));
        }
    }

    @Test
    void batchMappingsNeedAVariableAndANamedSecret() {
        SecretBatch.Mapping mapping = SecretBatch.parse("DB_PASSWORD=production/db/password", SecretBatch.VARIABLE, "Variable");
        assertThat(mapping).isEqualTo(new SecretBatch.Mapping("DB_PASSWORD", "production", "db/password"));
        assertThatThrownBy(() -> SecretBatch.parse("1X=production/a", SecretBatch.VARIABLE, "Variable")).hasMessageContaining("not a valid variable");
        assertThatThrownBy(() -> SecretBatch.parse("X", SecretBatch.VARIABLE, "Variable")).hasMessage("'X' is not VARIABLE=<environment>/<name>");
        assertThatThrownBy(() -> SecretBatch.parseAll(java.util.List.of("X=a/b", "X=a/c"), SecretBatch.VARIABLE, "Variable"))
                .hasMessageContaining("given twice");
    }
}
