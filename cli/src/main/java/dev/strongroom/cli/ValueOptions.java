package dev.strongroom.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a new value comes from: a file, stdin, or a hidden prompt. Never the command line. */
public final class ValueOptions {

    @Option(names = {"-f", "--from-file"}, paramLabel = "FILE", description = "read the value from FILE (exactly its bytes, UTF-8)")
    Path file;

    @Option(names = "--stdin", description = "read the value from stdin (one trailing line break dropped)")
    boolean stdin;

    @Option(names = "--prompt", description = "ask for the value at the terminal (hidden, twice); the default for put")
    boolean prompt;

    boolean given() {
        return file != null || stdin || prompt;
    }

    /** The value from the chosen source; with none chosen, a prompt. */
    String read(Cli cli) {
        if (file != null && stdin) {
            throw new CliException(ExitCodes.USAGE, "choose one of --from-file and --stdin");
        }
        if (file != null) {
            try {
                return Files.readString(file);
            } catch (java.nio.charset.MalformedInputException e) {
                throw new CliException(ExitCodes.USAGE, file + " is not UTF-8 text");
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + e.getClass().getSimpleName());
            }
        }
        if (stdin) {
            return cli.prompter.allOfStdin();
        }
        return cli.prompter.newSecret("Value: ");
    }
}
