package dev.strongroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command tree as a user meets it, without a server: help, completion, usage errors, exit codes. */
class CommandLineTest {

    @TempDir
    Path config;

    record Run(int exitCode, String out, String err) {}

    private Run sr(Map<String, String> extraEnv, String stdin, String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("XDG_CONFIG_HOME", config.toString());
        env.putAll(extraEnv);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Sr.execute(args, env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run sr(String... args) {
        return sr(Map.of(), "", args);
    }

    @Test
    void everyCommandAnswersHelpWithExitZero() {
        List<List<String>> paths = new ArrayList<>();
        collect(Sr.commandLine(System.out, System.err), new ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThan(30);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Run run = sr(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isZero();
            assertThat(run.out()).as(String.join(" ", args)).startsWith("Usage: sr" + (path.isEmpty() ? "" : " " + String.join(" ", path)));
        }
    }

    @Test
    void rootHelpListsTheExitCodes() {
        Run run = sr("--help");
        assertThat(run.out()).contains("Exit codes:").contains("5    not found").contains("10   audit chain broken");
    }

    @Test
    void completionScriptKnowsTheCommandTree() {
        Run run = sr("completion");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("#!/usr/bin/env bash").contains("complete -F _complete_sr").contains("rollback").contains("agent");
    }

    @Test
    void wrongUsageExitsTwo() {
        Run unknown = sr("secret", "frobnicate");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).isEqualTo("sr: 1 unexpected argument\nTry 'sr secret --help'.\n");
        assertThat(sr("secret", "get").exitCode()).isEqualTo(ExitCodes.USAGE);
        Run badRef = sr("secret", "get", "no-environment");
        assertThat(badRef.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badRef.err()).isEqualTo("sr: 'no-environment' is not <environment>/<name> or a secret id\n");
    }

    @Test
    void withoutASessionCommandsSayHowToLogIn() {
        Run run = sr(Map.of("STRONGROOM_AUTH_URL", "http://127.0.0.1:1"), "", "whoami");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAUTHENTICATED);
        assertThat(run.err()).isEqualTo("sr: not logged in to http://127.0.0.1:1: run sr login (services: set STRONGROOM_CLIENT_ID and STRONGROOM_CLIENT_SECRET)\n");
    }

    @Test
    void anUnreachableServiceIsExitNineInOneLine() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Run run = sr(Map.of("STRONGROOM_AUTH_URL", "http://127.0.0.1:" + port), "alice\nsome password\n", "login");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(run.err()).isEqualTo("sr: cannot reach http://127.0.0.1:" + port + ": connection refused\n");
    }

    @Test
    void valuesAreNeverTakenFromTheCommandLine() {
        Run run = sr("secret", "put", "dev/x", "--value", "hunter2");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).isEqualTo("sr: unknown option --value (and 1 unexpected argument)\nTry 'sr secret put --help'.\n");
        assertThat(run.err() + run.out()).doesNotContain("hunter2");
        // and without a terminal, put needs --from-file or --stdin: nothing is read from a surprise source
        Run noSource = sr(Map.of("STRONGROOM_TOKEN", "t", "STRONGROOM_SECRETS_URL", "http://127.0.0.1:1"), "", "env", "--env", "1BAD=dev/x");
        assertThat(noSource.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void servicesAreFoundFromOneUrlPerServiceAGatewayOrTheLocalPorts() {
        Endpoints local = Endpoints.from(Map.of("STRONGROOM_SECRETS_PORT", "18082"));
        assertThat(local.auth()).hasToString("http://127.0.0.1:8081");
        assertThat(local.secrets()).hasToString("http://127.0.0.1:18082");
        Endpoints gateway = Endpoints.from(Map.of("STRONGROOM_URL", "https://vault.example.com/", "STRONGROOM_AUDIT_URL", "https://audit.example.com"));
        assertThat(gateway.keys()).hasToString("https://vault.example.com");
        assertThat(gateway.audit()).hasToString("https://audit.example.com");
        Run bad = sr(Map.of("STRONGROOM_URL", "ftp://x"), "", "whoami");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("not an http(s) URL");
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> into) {
        into.add(List.copyOf(path));
        for (var entry : command.getSubcommands().entrySet()) {
            List<String> next = new ArrayList<>(path);
            next.add(entry.getKey());
            collect(entry.getValue(), next, into);
        }
    }
}
