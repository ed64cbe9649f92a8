package dev.strongroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentCommandTest {

    @TempDir
    Path dir;

    @Test
    void secretFilesAreReadOnlyForTheOwnerAndReplacedByRenameEvenWhenReadOnly() throws Exception {
        Path file = dir.resolve("db-password");
        TokenCache.writePrivately(file, "first".getBytes(StandardCharsets.UTF_8), AgentCommand.READ_ONLY);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("r--------");
        Object before = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();

        TokenCache.writePrivately(file, "second".getBytes(StandardCharsets.UTF_8), AgentCommand.READ_ONLY);
        assertThat(Files.readString(file)).isEqualTo("second");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("r--------");
        // a new inode: a reader holding the old file keeps reading a whole old value
        assertThat(Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey()).isNotEqualTo(before);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("db-password");
        }
    }

    @Test
    void renewsATokenInItsLastThirdByDefaultOrWithinTheGivenMargin() {
        Instant issued = Instant.parse("2026-12-05T10:00:00Z");
        Instant expires = issued.plusSeconds(900);
        assertThat(AgentCommand.renewalDue(issued.plusSeconds(599), issued, expires, null)).isFalse();
        assertThat(AgentCommand.renewalDue(issued.plusSeconds(600), issued, expires, null)).isTrue();
        assertThat(AgentCommand.renewalDue(issued.plusSeconds(839), issued, expires, Duration.ofMinutes(1))).isFalse();
        assertThat(AgentCommand.renewalDue(issued.plusSeconds(840), issued, expires, Duration.ofMinutes(1))).isTrue();
        assertThat(AgentCommand.renewalDue(issued.plusSeconds(1), issued, expires, Duration.ofMinutes(15))).isTrue();
    }

    @Test
    void durationsReadLikeKubernetesOnes() {
        assertThat(AgentCommand.duration("500ms", "--interval")).isEqualTo(Duration.ofMillis(500));
        assertThat(AgentCommand.duration("30s", "--interval")).isEqualTo(Duration.ofSeconds(30));
        assertThat(AgentCommand.duration("5m", "--interval")).isEqualTo(Duration.ofMinutes(5));
        assertThat(AgentCommand.duration("1h", "--interval")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> AgentCommand.duration("soon", "--interval")).hasMessageContaining("--interval soon is not a duration");
        assertThat(ShareCommands.seconds("7d")).isEqualTo(604_800);
    }

    @Test
    void theSubjectOfAWorkloadTokenNamesItInLogLines() {
        String payload = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"sub\":\"workload:shop/api\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(AgentCommand.subject("e30." + payload + ".sig")).isEqualTo("workload:shop/api");
        assertThat(AgentCommand.subject("garbage")).isEqualTo("workload");
    }

}
