package dev.strongroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCacheTest {

    @TempDir
    Path config;

    @Test
    void livesUnderXdgConfigHomeWithOwnerOnlyPermissions() throws Exception {
        TokenCache cache = TokenCache.from(Map.of("XDG_CONFIG_HOME", config.toString()));
        cache.put("http://127.0.0.1:8081", new TokenCache.Entry("alice", "access-1", "refresh-1", 1_000));

        Path file = config.resolve("strongroom/tokens.json");
        assertThat(cache.file()).isEqualTo(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(cache.get("http://127.0.0.1:8081")).isEqualTo(new TokenCache.Entry("alice", "access-1", "refresh-1", 1_000));
        assertThat(cache.get("http://other:8081")).isNull();
        // no temporary files left beside it
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("tokens.json");
        }
    }

    @Test
    void keepsOneSessionPerServerAndForgetsOne() {
        TokenCache cache = new TokenCache(config.resolve("strongroom/tokens.json"));
        cache.put("http://a", new TokenCache.Entry("alice", "a1", "r1", 1));
        cache.put("http://b", new TokenCache.Entry("bob", "b1", null, 2));
        cache.remove("http://a");
        assertThat(cache.get("http://a")).isNull();
        assertThat(cache.get("http://b")).isEqualTo(new TokenCache.Entry("bob", "b1", null, 2));
    }

    @Test
    void aCacheFileOpenedUpByHandIsNarrowedBackBeforeUse() throws Exception {
        TokenCache cache = new TokenCache(config.resolve("strongroom/tokens.json"));
        cache.put("http://a", new TokenCache.Entry("alice", "a1", "r1", 1));
        Files.setPosixFilePermissions(cache.file(), PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(cache.get("http://a")).isNotNull();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.file()))).isEqualTo("rw-------");
    }

    @Test
    void entriesNeverShowTheirTokens() {
        String shown = new TokenCache.Entry("alice", "access-token-xyz", "refresh-token-xyz", 5).toString();
        assertThat(shown).contains("alice").doesNotContain("access-token-xyz").doesNotContain("refresh-token-xyz");
    }
}
