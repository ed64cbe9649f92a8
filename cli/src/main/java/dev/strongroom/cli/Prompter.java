package dev.strongroom.cli;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Asks the person at the terminal (hidden input for secrets), or, without a terminal, reads the answer as the
 * next line of stdin, so scripts can pipe a password and a one-time code.
 */
public class Prompter {

    private final InputStream in;
    private final Console console;
    private final PrintStream err;
    private BufferedReader lines;

    public Prompter(InputStream in, Console console, PrintStream err) {
        this.in = in;
        this.console = console;
        this.err = err;
    }

    /**
     * The terminal, or null when stdin or stdout is redirected. From JDK 22 {@code System.console()} answers a
     * console even then; {@code Console.isTerminal()} (JDK 22+, called reflectively for JDK 21) tells.
     */
    static Console terminal() {
        Console console = System.console();
        if (console == null) {
            return null;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console) ? console : null;
        } catch (ReflectiveOperationException e) {
            return console; // JDK 21: a console is a terminal
        }
    }

    public boolean interactive() {
        return console != null;
    }

    public String line(String prompt) {
        if (console != null) {
            String answer = console.readLine("%s", prompt);
            return required(answer, prompt);
        }
        return required(nextLine(), prompt);
    }

    public String secret(String prompt) {
        if (console != null) {
            char[] answer = console.readPassword("%s", prompt);
            return required(answer == null ? null : new String(answer), prompt);
        }
        return required(nextLine(), prompt);
    }

    /** A new value typed twice at the terminal. */
    public String newSecret(String prompt) {
        if (console == null) {
            throw new CliException(ExitCodes.USAGE, "no value given: use --from-file FILE or --stdin (no terminal to prompt on)");
        }
        String first = secret(prompt);
        String again = secret("Again: ");
        if (!first.equals(again)) {
            throw new CliException(ExitCodes.USAGE, "the two entries differ");
        }
        return first;
    }

    /** All of stdin; one trailing line break (from echo or a heredoc) is dropped. */
    public String allOfStdin() {
        try {
            String text;
            if (lines != null) {
                StringBuilder rest = new StringBuilder();
                char[] chunk = new char[8192];
                int n;
                while ((n = lines.read(chunk)) != -1) {
                    rest.append(chunk, 0, n);
                }
                text = rest.toString();
            } else {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                in.transferTo(buffer);
                text = buffer.toString(StandardCharsets.UTF_8);
            }
            if (text.endsWith("\r\n")) {
                return text.substring(0, text.length() - 2);
            }
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "cannot read stdin: " + e.getMessage());
        }
    }

    private String nextLine() {
        try {
            if (lines == null) {
                lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
            return lines.readLine();
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "cannot read stdin: " + e.getMessage());
        }
    }

    private static String required(String answer, String prompt) {
        if (answer == null) {
            throw new CliException(ExitCodes.USAGE, "no answer for '" + prompt.replace(":", "").strip() + "' (stdin ended)");
        }
        return answer;
    }
}
