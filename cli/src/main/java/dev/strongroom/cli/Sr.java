package dev.strongroom.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code sr}: Strongroom from a terminal, a script or a Kubernetes pod. */
@Command(name = "sr",
        mixinStandardHelpOptions = true,
        versionProvider = Sr.Version.class,
        description = "Strongroom from a terminal, a script or a Kubernetes pod.",
        footer = {"", "Services: STRONGROOM_URL, or STRONGROOM_<AUTH|SECRETS|SHARING|AUDIT|KEYS>_URL (default: the ports of ./strongroom up).",
                "Docs: docs/cli.md"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:other error",
                "2:wrong usage",
                "3:not logged in, bad credentials or session expired (HTTP 401)",
                "4:forbidden (HTTP 403)",
                "5:not found or not readable, gone (HTTP 404, 410)",
                "6:conflict (HTTP 409)",
                "7:input refused (HTTP 400, 413, 422)",
                "8:rate limited or locked out (HTTP 429)",
                "9:service unreachable or failing (HTTP 5xx)",
                "10:audit chain broken (sr audit verify)"})
public final class Sr implements Runnable {

    /**
     * The commands, in help order. Only the one named on the command line is built (picocli reads a command's
     * annotations by reflection, the largest part of start-up); help and completion build them all.
     */
    private static final Map<String, java.util.function.Supplier<Object>> COMMANDS = new java.util.LinkedHashMap<>();

    static {
        COMMANDS.put("login", LoginCommands.Login::new);
        COMMANDS.put("logout", LoginCommands.Logout::new);
        COMMANDS.put("whoami", LoginCommands.Whoami::new);
        COMMANDS.put("secret", SecretCommands::new);
        COMMANDS.put("access", AccessCommands::new);
        COMMANDS.put("share", ShareCommands::new);
        COMMANDS.put("audit", AuditCommands::new);
        COMMANDS.put("key", KeyCommands::new);
        COMMANDS.put("run", RunCommand::new);
        COMMANDS.put("env", EnvCommand::new);
        COMMANDS.put("agent", AgentCommand::new);
        COMMANDS.put("completion", Completion::new);
    }

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "table (default) or json")
    void output(Output.Format format) {
        if (Cli.current != null) {
            Cli.current.format = format;
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.getenv(), System.in, System.out, System.err));
    }

    /** Runs one invocation with the given environment and stdio; answers the exit code. */
    public static int execute(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        CommandLine commandLine = commandLine(out, err, args.length > 0 && COMMANDS.containsKey(args[0]) ? args[0] : null);
        try {
            Cli.current = new Cli(env, new Prompter(in, in == System.in ? Prompter.terminal() : null, err), out, err, Clock.systemUTC());
        } catch (CliException e) {
            err.println("sr: " + e.getMessage());
            return e.exitCode();
        }
        return commandLine.execute(args);
    }

    /** The whole command tree. */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        return commandLine(out, err, null);
    }

    /** The root with only {@code only} below it, or with every command when {@code only} is null. */
    static CommandLine commandLine(PrintStream out, PrintStream err, String only) {
        CommandLine commandLine = new CommandLine(new Sr());
        COMMANDS.forEach((name, command) -> {
            if (only == null || only.equals(name)) {
                commandLine.addSubcommand(name, command.get());
            }
        });
        addHelp(commandLine);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            err.println("sr: " + usageProblem(e));
            err.println("Try '" + failed.getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CliException failure) {
                err.println("sr: " + failure.getMessage());
                return failure.exitCode();
            }
            err.println("sr: " + Problems.oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            if (Cli.current != null && "1".equals(Cli.current.env.get("SR_DEBUG"))) {
                e.printStackTrace(err);
            }
            return ExitCodes.ERROR;
        });
        return commandLine;
    }

    /** The problem with the arguments, naming unknown options but never echoing other words (one could be a value). */
    static String usageProblem(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
            List<String> options = unmatched.getUnmatched().stream().filter(a -> a.startsWith("-")).map(a -> a.contains("=") ? a.substring(0, a.indexOf('=')) : a).toList();
            int others = unmatched.getUnmatched().size() - options.size();
            if (!options.isEmpty()) {
                return "unknown option" + (options.size() > 1 ? "s " : " ") + String.join(", ", options)
                        + (others > 0 ? " (and " + others + " unexpected argument" + (others > 1 ? "s" : "") + ")" : "");
            }
            return others + " unexpected argument" + (others > 1 ? "s" : "");
        }
        return Problems.oneLine(e.getMessage());
    }

    /** --help on every subcommand (the root has -h/--help and -V/--version from the standard mixin). */
    private static void addHelp(CommandLine parent) {
        for (CommandLine sub : parent.getSubcommands().values()) {
            if (sub.getCommandSpec().findOption("--help") == null) {
                sub.getCommandSpec().addOption(CommandLine.Model.OptionSpec.builder("-h", "--help")
                        .usageHelp(true)
                        .description("Show this help message and exit.")
                        .build());
            }
            addHelp(sub);
        }
    }

    static String version() {
        try (var in = Sr.class.getResourceAsStream("version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "dev");
        } catch (java.io.IOException e) {
            return "dev";
        }
    }

    /** {@code sr --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"sr " + version() + " (Java " + Runtime.version() + ")"};
        }
    }

    @Command(name = "completion", description = {"Prints a bash/zsh completion script.",
            "bash: source <(sr completion)   zsh: autoload -U +X bashcompinit && bashcompinit && source <(sr completion)"})
    static final class Completion implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            // the whole tree, not just the part built for this invocation
            spec.commandLine().getOut().print(picocli.AutoComplete.bash("sr", commandLine(System.out, System.err)));
            spec.commandLine().getOut().flush();
        }
    }
}
