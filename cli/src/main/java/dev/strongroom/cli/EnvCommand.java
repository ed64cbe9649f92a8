package dev.strongroom.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sr env}: secrets as a dotenv, JSON or shell file, for tools that only read files. */
@Command(name = "env", description = {"Prints secrets as dotenv, JSON or shell assignments (prefer sr run: nothing lands on disk).",
        "With --file the output goes to a file created 0600 by atomic rename."})
final class EnvCommand implements Runnable {

    enum Format { dotenv, json, shell }

    @Option(names = {"-e", "--env"}, required = true, paramLabel = "NAME=ENV/SECRET", description = "a variable and its secret (repeatable)")
    List<String> env;

    @Option(names = "--format", defaultValue = "dotenv", description = "dotenv (default), json or shell")
    Format format;

    @Option(names = "--file", paramLabel = "PATH", description = "write here (0600) instead of stdout")
    Path file;

    @Override
    public void run() {
        Cli cli = Cli.get();
        List<SecretBatch.Mapping> mappings = SecretBatch.parseAll(env, SecretBatch.VARIABLE, "Variable");
        SecretBatch.Result result = SecretBatch.read(cli, cli.session.accessToken(), mappings, "you");
        String text = render(result.values(), format);
        if (file == null) {
            cli.out.print(text);
            cli.out.flush();
            return;
        }
        try {
            TokenCache.writePrivately(file, text.getBytes(StandardCharsets.UTF_8), TokenCache.FILE_MODE);
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "cannot write " + file + ": " + e.getMessage());
        }
        cli.err.println("wrote " + result.values().size() + " variables to " + file);
    }

    static String render(Map<String, String> values, Format format) {
        StringBuilder text = new StringBuilder();
        switch (format) {
            case json -> {
                ObjectNode node = Http.JSON.createObjectNode();
                values.forEach(node::put);
                text.append(node).append('\n');
            }
            case shell -> values.forEach((k, v) -> text.append("export ").append(k).append('=').append(shellQuote(v)).append('\n'));
            case dotenv -> values.forEach((k, v) -> text.append(k).append('=').append(dotenvQuote(v)).append('\n'));
        }
        return text.toString();
    }

    /** POSIX single quotes: {@code it's} becomes {@code 'it'\''s'}. */
    static String shellQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** Double-quoted with the escapes dotenv readers (docker compose, python-dotenv, Node's dotenv) share. */
    static String dotenvQuote(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> quoted.append("\\\\");
                case '"' -> quoted.append("\\\"");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '$' -> quoted.append("\\$");
                default -> quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
