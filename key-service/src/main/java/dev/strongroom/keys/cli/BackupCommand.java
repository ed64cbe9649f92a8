package dev.strongroom.keys.cli;

import dev.strongroom.crypto.backup.BackupIntegrityException;
import dev.strongroom.crypto.backup.BackupKeys;
import dev.strongroom.crypto.backup.BackupManifest;
import dev.strongroom.crypto.backup.BackupReader;
import dev.strongroom.crypto.backup.BackupWriter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The backup archive commands (docs/operations.md); they need no database and start no service:
 * <pre>
 *   backup-key PRIVATE PUBLIC       a new backup key pair (private part mode 600, never overwritten)
 *   backup-seal --public-key FILE --out FILE|DIR/ [--info K=V]... [--describe PART K=V]... [--describe-from FILE]
 *               --part NAME=SOURCE... [-- CMD...]
 *                                   runs CMD once per part ({} in CMD becomes SOURCE), or without CMD reads SOURCE
 *                                   as a file; streams each dump into the archive and counts its rows; a failing
 *                                   CMD or a cut dump leaves no archive. DIR/ gets strongroom-<UTC time>.srbk
 *   backup-verify --key FILE ARCHIVE           checks the whole archive, prints its manifest as lines
 *   backup-extract --key FILE ARCHIVE PART     checks the archive and writes one part to standard output
 * </pre>
 */
final class BackupCommand {

    static final String USAGE = """
                   key-service backup-key PRIVATE_FILE PUBLIC_FILE
                   key-service backup-seal --public-key FILE --out FILE|DIR/ [--info K=V]... [--describe PART K=V]...
                                           [--describe-from FILE] --part NAME=SOURCE... [-- COMMAND... ({} = SOURCE)]
                   key-service backup-verify --key PRIVATE_FILE ARCHIVE
                   key-service backup-extract --key PRIVATE_FILE ARCHIVE PART
            """;

    private BackupCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            return switch (args[0]) {
                case "backup-key" -> key(args, out);
                case "backup-seal" -> seal(args, out, err);
                case "backup-verify" -> verify(args, out);
                case "backup-extract" -> extract(args, out);
                default -> usage(err);
            };
        } catch (UsageException e) {
            err.println(args[0] + ": " + e.getMessage());
            return usage(err);
        } catch (FileAlreadyExistsException e) {
            err.println(args[0] + ": refusing to overwrite " + e.getFile());
            return 1;
        } catch (BackupIntegrityException e) {
            err.println(args[0] + ": ARCHIVE REFUSED: " + e.getMessage());
            return 3;
        } catch (IllegalArgumentException | IllegalStateException | IOException e) {
            err.println(args[0] + " failed: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println(args[0] + " failed: " + e);
            return 1;
        }
    }

    private static int key(String[] args, PrintStream out) throws Exception {
        if (args.length != 3) {
            throw new UsageException("needs PRIVATE_FILE PUBLIC_FILE");
        }
        Path privateFile = Path.of(args[1]);
        Path publicFile = Path.of(args[2]);
        for (Path file : List.of(privateFile, publicFile)) {
            if (Files.exists(file)) {
                throw new FileAlreadyExistsException(file.toString());
            }
        }
        BackupKeys.Generated keys = BackupKeys.generate();
        writeNew(privateFile, keys.privateKeysetJson(), "rw-------");
        writeNew(publicFile, keys.publicKeysetJson(), "rw-r--r--");
        out.println("wrote backup key " + keys.keyId() + ": private part " + privateFile.toAbsolutePath()
                + " (mode 600: keep it offline, away from the root key), public part " + publicFile.toAbsolutePath());
        return 0;
    }

    private static int seal(String[] args, PrintStream out, PrintStream err) throws Exception {
        Options options = Options.parse(args, 1);
        Path target = target(options.required("--out"));
        BackupKeys.PublicKey key = BackupKeys.publicKey(read(options.required("--public-key")), options.required("--public-key"));
        if (options.parts.isEmpty()) {
            throw new UsageException("needs at least one --part NAME=SOURCE");
        }
        if (options.single.containsKey("--describe-from")) {
            describeFrom(Path.of(options.single.get("--describe-from")), options.described);
        }
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        boolean done = false;
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16);
                BackupWriter writer = BackupWriter.open(file, key)) {
            for (Map.Entry<String, String> part : options.parts.entrySet()) {
                DumpRows rows = new DumpRows();
                long started = System.nanoTime();
                try (OutputStream sink = writer.part(part.getKey())) {
                    if (options.command.isEmpty()) {
                        copy(Path.of(part.getValue()), sink, rows);
                    } else {
                        dump(options.command, part.getValue(), sink, rows);
                    }
                }
                if (!rows.completed()) {
                    throw new IOException("the dump of " + part.getValue() + " does not end with '-- Dump completed': it was cut short");
                }
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("source", part.getValue());
                info.put("rows", rows.rows());
                info.putAll(options.described.getOrDefault(part.getKey(), Map.of()));
                writer.describe(part.getKey(), info);
                err.printf("  %s (%s): %d rows in %d tables, %d ms%n", part.getKey(), part.getValue(),
                        rows.rows().values().stream().mapToLong(Long::longValue).sum(), rows.rows().size(),
                        (System.nanoTime() - started) / 1_000_000);
            }
            BackupManifest manifest = writer.finish(new LinkedHashMap<>(options.info));
            done = true;
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            out.println("sealed " + manifest.parts().size() + " part(s) to backup key " + manifest.backupKeyId() + " in "
                    + target.toAbsolutePath() + " (" + Files.size(target) + " bytes)");
            return 0;
        } finally {
            if (!done) {
                Files.deleteIfExists(partial);
            }
        }
    }

    /** {@code --out}: a file, or a directory (ending in /, or existing) that gets a time-stamped name. */
    private static Path target(String out) {
        Path path = Path.of(out);
        if (out.endsWith("/") || Files.isDirectory(path)) {
            String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                    .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
            return path.resolve("strongroom-" + stamp + ".srbk");
        }
        return path;
    }

    /** Lines {@code PART KEY=VALUE} (blank lines and # comments skipped), as written by the chart's dump step. */
    private static void describeFrom(Path file, Map<String, Map<String, Object>> described) throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] words = trimmed.split("\\s+", 2);
            if (words.length != 2) {
                throw new UsageException(file + ": lines are PART KEY=VALUE, not " + trimmed);
            }
            String[] pair = Options.pair(words[1], "--describe-from");
            described.computeIfAbsent(words[0], p -> new LinkedHashMap<>()).put(pair[0], pair[1]);
        }
    }

    /** Reads one dump from a file. */
    private static void copy(Path file, OutputStream sink, DumpRows rows) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            pump(in, sink, rows);
        }
    }

    /** Copies a dump into its part and through the row counter. */
    private static void pump(InputStream in, OutputStream sink, DumpRows rows) throws IOException {
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) > 0) {
            sink.write(buffer, 0, n);
            rows.write(buffer, 0, n);
        }
    }

    /** Runs the dump command for one source; its output goes to {@code sink} and {@code rows}; a failure throws. */
    private static void dump(List<String> template, String source, OutputStream sink, DumpRows rows) throws Exception {
        List<String> command = new ArrayList<>(template.size());
        for (String word : template) {
            command.add(word.replace("{}", source));
        }
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        process.getOutputStream().close();
        try (InputStream in = process.getInputStream()) {
            pump(in, sink, rows);
        }
        int code = process.waitFor();
        if (code != 0) {
            throw new IOException("the dump of " + source + " failed (" + command.get(0) + " exited with " + code + ")");
        }
    }

    private static int verify(String[] args, PrintStream out) throws Exception {
        Options options = Options.parse(args, 1);
        if (options.positional.size() != 1) {
            throw new UsageException("needs --key PRIVATE_FILE ARCHIVE");
        }
        BackupKeys.PrivateKey key = privateKey(options);
        BackupManifest manifest;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(Path.of(options.positional.get(0))), 1 << 16)) {
            manifest = BackupReader.verify(in, key);
        }
        out.println("archive ok " + manifest.format() + " created " + manifest.createdAt() + " backup-key " + manifest.backupKeyId()
                + " parts " + manifest.parts().size());
        manifest.info().forEach((name, value) -> out.println("info " + name + " " + value));
        for (BackupManifest.Part part : manifest.parts()) {
            out.println("part " + part.name() + " " + part.bytes() + " " + part.sha256() + " " + part.info().get("source"));
            part.info().forEach((name, value) -> {
                if (value instanceof Map<?, ?> rows && name.equals("rows")) {
                    rows.forEach((table, count) -> out.println("rows " + part.name() + " " + table + " " + count));
                } else if (!name.equals("source")) {
                    out.println("partinfo " + part.name() + " " + name + " " + value);
                }
            });
        }
        return 0;
    }

    private static int extract(String[] args, PrintStream out) throws Exception {
        Options options = Options.parse(args, 1);
        if (options.positional.size() != 2) {
            throw new UsageException("needs --key PRIVATE_FILE ARCHIVE PART");
        }
        BackupKeys.PrivateKey key = privateKey(options);
        // PrintStream.write(byte[], ...) passes bytes through unchanged
        OutputStream raw = new BufferedOutputStream(out, 1 << 16);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(Path.of(options.positional.get(0))), 1 << 16)) {
            BackupReader.extract(in, key, options.positional.get(1), raw);
        }
        raw.flush();
        return 0;
    }

    private static BackupKeys.PrivateKey privateKey(Options options) throws IOException {
        String file = options.required("--key");
        return BackupKeys.privateKey(read(file), file);
    }

    private static String read(String file) throws IOException {
        return Files.readString(Path.of(file), StandardCharsets.UTF_8);
    }

    private static void writeNew(Path file, String content, String mode) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static int usage(PrintStream err) {
        err.print(KeyServiceMain.USAGE);
        return 2;
    }

    /** {@code --name value} options (repeatable ones collected), positional words, and the command after {@code --}. */
    private static final class Options {
        final Map<String, String> single = new LinkedHashMap<>();
        final Map<String, String> info = new LinkedHashMap<>();
        final Map<String, Map<String, Object>> described = new LinkedHashMap<>();
        final Map<String, String> parts = new LinkedHashMap<>();
        final List<String> positional = new ArrayList<>();
        final List<String> command = new ArrayList<>();

        static Options parse(String[] args, int from) {
            Options options = new Options();
            for (int i = from; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--" -> {
                        options.command.addAll(List.of(args).subList(i + 1, args.length));
                        return options;
                    }
                    case "--out", "--public-key", "--key", "--describe-from" -> options.single.put(arg, value(args, ++i, arg));
                    case "--info" -> {
                        String[] pair = pair(value(args, ++i, arg), arg);
                        options.info.put(pair[0], pair[1]);
                    }
                    case "--describe" -> {
                        String part = value(args, ++i, arg);
                        String[] pair = pair(value(args, ++i, arg), arg);
                        options.described.computeIfAbsent(part, p -> new LinkedHashMap<>()).put(pair[0], pair[1]);
                    }
                    case "--part" -> {
                        String[] pair = pair(value(args, ++i, arg), arg);
                        options.parts.put(pair[0], pair[1]);
                    }
                    default -> {
                        if (arg.startsWith("--")) {
                            throw new UsageException("unknown option " + arg);
                        }
                        options.positional.add(arg);
                    }
                }
            }
            return options;
        }

        String required(String name) {
            String value = single.get(name);
            if (value == null) {
                throw new UsageException("needs " + name);
            }
            return value;
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new UsageException(option + " needs a value");
            }
            return args[index];
        }

        static String[] pair(String value, String option) {
            int eq = value.indexOf('=');
            if (eq <= 0) {
                throw new UsageException(option + " takes NAME=VALUE, not " + value);
            }
            return new String[] {value.substring(0, eq), value.substring(eq + 1)};
        }
    }

    private static final class UsageException extends IllegalArgumentException {
        UsageException(String message) {
            super(message);
        }
    }
}
