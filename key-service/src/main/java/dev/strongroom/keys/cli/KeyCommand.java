package dev.strongroom.keys.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.strongroom.crypto.keys.RootKey;
import dev.strongroom.keys.service.KeyExport;
import dev.strongroom.keys.service.KeyMaintenanceService;
import dev.strongroom.keys.service.RootKeys;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/** The operator commands that need the database: rotate-root, export, restore (see {@link KeyServiceMain}). */
public class KeyCommand implements QuarkusApplication {

    @Inject
    KeyMaintenanceService maintenance;

    @Inject
    RootKeys rootKeys;

    @Inject
    ObjectMapper json;

    @Override
    public int run(String... args) throws Exception {
        try {
            return switch (args[0]) {
                case "rotate-root" -> rotateRoot(args);
                case "export" -> export(args);
                case "restore" -> restore(args);
                default -> usage();
            };
        } catch (UsageException e) {
            return usage();
        } catch (FileAlreadyExistsException e) {
            System.err.println(args[0] + ": refusing to overwrite " + e.getFile());
            return 1;
        } catch (RootKeys.SealedKeysetException | IllegalArgumentException | IOException e) {
            System.err.println(args[0] + " failed: " + e.getMessage());
            return 1;
        }
    }

    /** Runs a reactive operation on a Vert.x context and waits: fine here, this is not a request path. */
    private static <T> T await(java.util.function.Supplier<io.smallrye.mutiny.Uni<T>> work) throws Exception {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private int rotateRoot(String[] args) throws Exception {
        if (args.length != 1) {
            return usage();
        }
        int resealed = await(() -> maintenance.resealAll(rootKeys));
        System.out.println("re-sealed " + resealed + " keyset(s) under root key " + rootKeys.currentRef()
                + "; every keyset is now sealed by it, strongroom.keys.previous-root can be removed");
        return 0;
    }

    private int export(String[] args) throws Exception {
        Path file = Path.of(argument(args, 1));
        Optional<RootKey> backupKey = backupKey(args);
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString());
        }
        KeyExport export = await(() -> maintenance.export(rootKeys, backupKey));
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        json.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), export);
        System.out.println("exported " + export.keys().size() + " key(s) to " + file.toAbsolutePath() + ", keysets sealed by "
                + backupKey.map(RootKey::ref).orElse("the root key"));
        return 0;
    }

    private int restore(String[] args) throws Exception {
        Path file = Path.of(argument(args, 1));
        Optional<RootKey> backupKey = backupKey(args);
        KeyExport export = read(file);
        KeyExport.RestoreResult result = await(() -> maintenance.restore(export, rootKeys, backupKey));
        System.out.println("restored " + result.restored().size() + " key(s) " + result.restored()
                + "; left " + result.skippedExisting().size() + " existing key(s) alone " + result.skippedExisting());
        return 0;
    }

    private KeyExport read(Path file) throws IOException {
        return json.readValue(file.toFile(), KeyExport.class);
    }

    private static Optional<RootKey> backupKey(String[] args) {
        if (args.length == 2) {
            return Optional.empty();
        }
        if (args.length == 4 && args[2].equals("--backup-key")) {
            return Optional.of(RootKey.load(args[3]));
        }
        throw new UsageException();
    }

    private static String argument(String[] args, int index) {
        if (args.length <= index) {
            throw new UsageException();
        }
        return args[index];
    }

    private static int usage() {
        System.err.print(KeyServiceMain.USAGE);
        return 2;
    }

    private static final class UsageException extends RuntimeException {
        UsageException() {
            super(null, null, false, false);
        }
    }
}
