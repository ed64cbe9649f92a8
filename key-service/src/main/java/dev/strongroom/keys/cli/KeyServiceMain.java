package dev.strongroom.keys.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;

/**
 * key-service's entry point. Without arguments (or with {@code serve}) it runs the service. With a
 * command it does operator work and exits (docs/keys.md):
 * <pre>
 *   generate-root-key FILE                     write a new root key (Tink JSON keyset, mode 600); no database needed
 *   rotate-root                                re-seal every keyset under strongroom.keys.root, opening the
 *                                              old ones with strongroom.keys.previous-root
 *   export FILE [--backup-key SPEC]            write every key, keysets still sealed (by the root key, or
 *                                              re-sealed under the backup key SPEC)
 *   restore FILE [--backup-key SPEC]           insert the exported keys that do not exist, sealed under the root key
 *   backup-key, backup-seal, backup-verify, backup-extract
 *                                              the whole-system backup archive ({@link BackupCommand}); no database needed
 * </pre>
 */
@QuarkusMain
public class KeyServiceMain {

    static final String USAGE = """
            usage: key-service [serve]
                   key-service generate-root-key FILE
                   key-service rotate-root
                   key-service export FILE [--backup-key SPEC]
                   key-service restore FILE [--backup-key SPEC]
            """ + BackupCommand.USAGE + """
            Database and root key come from the usual settings (strongroom.db.*, strongroom.keys.root,
            strongroom.keys.previous-root; environment variables STRONGROOM_DB_HOST, STRONGROOM_KEYS_ROOT, ...).
            """;

    public static void main(String... args) {
        if (args.length == 0 || args[0].equals("serve")) {
            Quarkus.run(args);
            return;
        }
        switch (args[0]) {
            case "generate-root-key" -> System.exit(generateRootKey(args, System.out, System.err));
            case "backup-key", "backup-seal", "backup-verify", "backup-extract" ->
                    System.exit(BackupCommand.run(args, System.out, System.err));
            case "rotate-root", "export", "restore" -> {
                // Operator commands run the application without serving: no HTTP listener, no scheduled
                // rotation, no outbox relay (the service publishes the audit events they record), no session
                // revocation listener (no requests to check), quiet logs.
                System.setProperty("quarkus.http.host-enabled", "false");
                System.setProperty("strongroom.keys.rotation.enabled", "false");
                // Never create keys here: a restore must find the backup's keys missing, not pre-made.
                System.setProperty("strongroom.keys.create-on-start", "");
                System.setProperty("strongroom.audit.relay.enabled", "false");
                System.setProperty("strongroom.security.revocation.enabled", "false");
                System.setProperty("quarkus.log.console.json.enabled", "false");
                System.setProperty("quarkus.log.level", "WARN");
                System.setProperty("quarkus.banner.enabled", "false");
                Quarkus.run(KeyCommand.class, (code, failure) -> System.exit(code), args);
            }
            case "help", "--help", "-h" -> System.out.print(USAGE);
            default -> {
                System.err.print("unknown command " + args[0] + "\n" + USAGE);
                System.exit(2);
            }
        }
    }

    static int generateRootKey(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2) {
            err.print(USAGE);
            return 2;
        }
        Path file = Path.of(args[1]);
        try {
            String ref = RootKeyGenerator.generate(file);
            out.println("wrote root key " + ref + " to " + file.toAbsolutePath());
            out.println("use it with: strongroom.keys.root=" + file.toAbsolutePath() + "  (or STRONGROOM_KEYS_ROOT=" + file.toAbsolutePath() + ")");
            return 0;
        } catch (FileAlreadyExistsException e) {
            err.println("refusing to overwrite " + file + ": a root key is never replaced in place (see docs/keys.md, root rotation)");
            return 1;
        } catch (Exception e) {
            err.println("cannot write a root key to " + file + ": " + e.getMessage());
            return 1;
        }
    }
}
