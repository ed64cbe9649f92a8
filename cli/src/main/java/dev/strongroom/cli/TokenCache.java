package dev.strongroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * The logged-in sessions of this user: {@code $XDG_CONFIG_HOME/strongroom/tokens.json} (else
 * {@code ~/.config/strongroom}), one entry per auth-service URL. The folder is 0700 and the file 0600, written
 * by atomic rename; a file found readable by others is narrowed back to 0600 before it is read.
 */
public final class TokenCache {

    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    /** One session. {@code toString} shows no token. */
    public record Entry(String username, String accessToken, String refreshToken, long expiresAtEpochSecond) {
        @Override
        public String toString() {
            return "Entry[username=" + username + ", expiresAt=" + expiresAtEpochSecond + "]";
        }
    }

    private final Path file;

    public TokenCache(Path file) {
        this.file = file;
    }

    public static TokenCache from(Map<String, String> env) {
        String config = env.get("XDG_CONFIG_HOME");
        Path base = config != null && !config.isBlank() ? Path.of(config)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return new TokenCache(base.resolve("strongroom").resolve("tokens.json"));
    }

    public Path file() {
        return file;
    }

    public Entry get(String authUrl) {
        JsonNode node = read().get(authUrl);
        if (node == null || !node.isObject()) {
            return null;
        }
        return new Entry(node.path("username").asText(null), node.path("accessToken").asText(null),
                node.path("refreshToken").asText(null), node.path("expiresAt").asLong(0));
    }

    public void put(String authUrl, Entry entry) {
        ObjectNode all = read();
        ObjectNode node = all.putObject(authUrl);
        node.put("username", entry.username());
        node.put("accessToken", entry.accessToken());
        if (entry.refreshToken() != null) {
            node.put("refreshToken", entry.refreshToken());
        }
        node.put("expiresAt", entry.expiresAtEpochSecond());
        write(all);
    }

    public void remove(String authUrl) {
        ObjectNode all = read();
        if (all.remove(authUrl) != null) {
            write(all);
        }
    }

    private ObjectNode read() {
        if (!Files.isRegularFile(file)) {
            return Http.JSON.createObjectNode();
        }
        try {
            if (Files.getPosixFilePermissions(file).stream().anyMatch(p -> !FILE_MODE.contains(p))) {
                Files.setPosixFilePermissions(file, FILE_MODE);
            }
            JsonNode node = Http.JSON.readTree(file.toFile());
            return node instanceof ObjectNode object ? object : Http.JSON.createObjectNode();
        } catch (UnsupportedOperationException | IOException e) {
            throw new CliException(ExitCodes.ERROR, "cannot read the token cache " + file + ": " + e.getMessage());
        }
    }

    private void write(ObjectNode all) {
        try {
            writePrivately(file, Http.JSON.writeValueAsBytes(all), FILE_MODE);
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "cannot write the token cache " + file + ": " + e.getMessage());
        }
    }

    /**
     * Writes {@code content} to {@code target} so no reader ever sees a partial file or wider permissions: a
     * temporary file created 0600 in the same folder, synced, given {@code mode}, then renamed over the target.
     */
    public static void writePrivately(Path target, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
        }
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", PosixFilePermissions.asFileAttribute(FILE_MODE));
        try {
            try (var channel = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
                var buffer = java.nio.ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.setPosixFilePermissions(temp, mode);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
