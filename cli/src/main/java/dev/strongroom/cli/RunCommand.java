package dev.strongroom.cli;

import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sr run --env NAME=<environment>/<name> … -- command}: secrets as environment variables of a child process. */
@Command(name = "run", description = {"Starts a command with secrets in its environment; exits with the command's exit code.",
        "Values go only into the child's environment: never printed, never on its command line.",
        "Example: sr run --env DB_PASSWORD=production/db/password -- ./migrate.sh"})
final class RunCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = {"-e", "--env"}, required = true, paramLabel = "NAME=ENV/SECRET", description = "a variable and its secret (repeatable)")
    List<String> env;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "the command and its arguments (after --)")
    List<String> command;

    @Override
    public Integer call() {
        Cli cli = Cli.get();
        List<SecretBatch.Mapping> mappings = SecretBatch.parseAll(env, SecretBatch.VARIABLE, "Variable");
        SecretBatch.Result result = SecretBatch.read(cli, cli.session.accessToken(), mappings, "you");
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().putAll(result.values());
        // the child needs none of sr's own credentials
        builder.environment().remove("STRONGROOM_TOKEN");
        builder.environment().remove("STRONGROOM_CLIENT_SECRET");
        Process child;
        try {
            child = builder.start();
        } catch (IOException e) {
            throw new CliException(127, "cannot start " + command.get(0) + ": " + e.getMessage());
        }
        Thread forward = new Thread(() -> {
            if (child.isAlive()) {
                child.destroy();
            }
        });
        Runtime.getRuntime().addShutdownHook(forward);
        try {
            return child.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.destroy();
            return ExitCodes.ERROR;
        }
    }
}
