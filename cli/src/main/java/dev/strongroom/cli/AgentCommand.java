package dev.strongroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sr agent}: a Kubernetes workload's secrets, written before its containers start (init container) and
 * kept current beside them ({@code --watch}, a sidecar). Logs in with the pod's projected service-account token,
 * reads the listed secrets with {@code values:batchGet}, writes each as a file (0400, atomic rename) and/or an
 * env file. Logs name secrets and versions, never values.
 */
@Command(name = "agent", description = {"Writes a Kubernetes workload's secrets to files (init container; --watch: sidecar).",
        "Logs in with the pod's projected service-account token (POST /v1/auth/kubernetes/login), reads the secrets",
        "with values:batchGet, writes files 0400 by atomic rename; fails (exit 5) when one is missing or not readable.",
        "Example: sr agent --role payments --file db-password=production/db/password --dir /strongroom/secrets"})
final class AgentCommand implements java.util.concurrent.Callable<Integer> {

    static final Set<PosixFilePermission> READ_ONLY = PosixFilePermissions.fromString("r--------");
    private static final Pattern FILE_NAME = Pattern.compile("(?!\\.)[A-Za-z0-9._-]{1,255}");

    @Option(names = "--role", required = true, description = "the Kubernetes role in Strongroom (sr admin: POST /v1/admin/kubernetes/roles)")
    String role;

    @Option(names = "--token-file", paramLabel = "PATH", defaultValue = "/var/run/secrets/tokens/strongroom",
            description = "the projected service-account token (re-read at every login; default ${DEFAULT-VALUE})")
    Path tokenFile;

    @Option(names = "--file", paramLabel = "FILE=ENV/SECRET", description = "write the secret to <dir>/FILE (repeatable)")
    List<String> files;

    @Option(names = "--env", paramLabel = "NAME=ENV/SECRET", description = "put the secret into the env file as NAME (repeatable)")
    List<String> env;

    @Option(names = "--dir", paramLabel = "PATH", defaultValue = "/strongroom/secrets", description = "where files go (a memory emptyDir; default ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--env-file", paramLabel = "PATH", description = "write the --env variables here as dotenv (0400)")
    Path envFile;

    @Option(names = "--watch", description = "keep running: rewrite files whose secret changed, renew the token before it expires")
    boolean watch;

    @Option(names = "--interval", defaultValue = "30s", paramLabel = "DURATION", description = "how often --watch reads (default ${DEFAULT-VALUE})")
    String interval;

    @Option(names = "--renew-before", paramLabel = "DURATION",
            description = "renew the token this long before it expires (default: a third of its lifetime)")
    String renewBefore;

    private final Map<String, Integer> written = new HashMap<>();
    private String token;
    private Instant issuedAt;
    private Instant expiresAt;
    private String workload;

    @Override
    public Integer call() throws InterruptedException {
        Cli cli = Cli.get();
        List<SecretBatch.Mapping> fileMappings = SecretBatch.parseAll(files, FILE_NAME, "File");
        List<SecretBatch.Mapping> envMappings = SecretBatch.parseAll(env, SecretBatch.VARIABLE, "Variable");
        if (fileMappings.isEmpty() && envMappings.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "nothing to write: give --file FILE=ENV/SECRET or --env NAME=ENV/SECRET");
        }
        if (!envMappings.isEmpty() && envFile == null) {
            throw new CliException(ExitCodes.USAGE, "--env needs --env-file");
        }
        Duration every = duration(interval, "--interval");
        Duration renewal = renewBefore == null ? null : duration(renewBefore, "--renew-before");
        List<SecretBatch.Mapping> all = new ArrayList<>(fileMappings);
        all.addAll(envMappings.stream().map(m -> new SecretBatch.Mapping("env:" + m.target(), m.environment(), m.name())).toList());

        login(cli);
        write(cli, SecretBatch.read(cli, token, all, workload), fileMappings, envMappings);
        if (!watch) {
            return ExitCodes.OK;
        }
        while (true) {
            Thread.sleep(every.toMillis());
            try {
                if (dueForRenewal(cli.clock.instant(), renewal)) {
                    login(cli);
                }
                write(cli, SecretBatch.read(cli, token, all, workload), fileMappings, envMappings);
            } catch (CliException e) {
                // a sidecar keeps the last good files and tries again next round
                log(cli, "error (files kept, retrying in " + every.toSeconds() + " s): " + e.getMessage());
                if (e.exitCode() == ExitCodes.UNAUTHENTICATED) {
                    expiresAt = Instant.EPOCH;
                }
            }
        }
    }

    boolean dueForRenewal(Instant now, Duration renewBefore) {
        return renewalDue(now, issuedAt, expiresAt, renewBefore);
    }

    /** True when the token expires within {@code renewBefore} (null: a third of its lifetime). */
    static boolean renewalDue(Instant now, Instant issuedAt, Instant expiresAt, Duration renewBefore) {
        Duration margin = renewBefore != null ? renewBefore : Duration.between(issuedAt, expiresAt).dividedBy(3);
        return !now.isBefore(expiresAt.minus(margin));
    }

    void login(Cli cli) {
        String jwt;
        try {
            jwt = Files.readString(tokenFile).strip();
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNAUTHENTICATED, "cannot read the service-account token " + tokenFile + ": " + e.getClass().getSimpleName()
                    + " (mount a projected token there, or give --token-file)");
        }
        Http.Answer answer = cli.http.send("POST", Cli.at(cli.endpoints.auth(), "/v1/auth/kubernetes/login"),
                Http.JSON.createObjectNode().put("role", role).put("jwt", jwt), null);
        if (!answer.ok()) {
            CliException problem = Problems.toException(answer.status(), answer.body());
            throw new CliException(problem.exitCode(), "workload login with role " + role + " refused: " + problem.getMessage());
        }
        JsonNode pair = answer.json();
        token = pair.path("accessToken").asText();
        issuedAt = cli.clock.instant();
        expiresAt = issuedAt.plusSeconds(pair.path("expiresIn").asLong(0));
        workload = subject(token);
        log(cli, "logged in as " + workload + " with role " + role + "; token valid " + pair.path("expiresIn").asLong() + " s");
    }

    private void write(Cli cli, SecretBatch.Result result, List<SecretBatch.Mapping> fileMappings, List<SecretBatch.Mapping> envMappings) {
        try {
            for (SecretBatch.Mapping mapping : fileMappings) {
                int version = result.versions().getOrDefault(mapping.target(), 0);
                Integer before = written.get(mapping.target());
                if (before != null && before == version) {
                    continue;
                }
                TokenCache.writePrivately(dir.resolve(mapping.target()), result.values().get(mapping.target()).getBytes(StandardCharsets.UTF_8), READ_ONLY);
                written.put(mapping.target(), version);
                log(cli, (before == null ? "wrote " : "rewrote ") + dir.resolve(mapping.target()) + " (" + mapping.secret() + " v" + version + ")");
            }
            if (!envMappings.isEmpty()) {
                Map<String, String> values = new java.util.LinkedHashMap<>();
                StringBuilder versions = new StringBuilder();
                for (SecretBatch.Mapping mapping : envMappings) {
                    values.put(mapping.target(), result.values().get("env:" + mapping.target()));
                    versions.append(mapping.target()).append(':').append(result.versions().get("env:" + mapping.target())).append(' ');
                }
                String key = "env-file " + versions;
                if (!written.containsKey(key)) {
                    TokenCache.writePrivately(envFile, EnvCommand.render(values, EnvCommand.Format.dotenv).getBytes(StandardCharsets.UTF_8), READ_ONLY);
                    written.keySet().removeIf(k -> k.startsWith("env-file "));
                    written.put(key, 0);
                    log(cli, "wrote " + envFile + " (" + String.join(", ", values.keySet()) + ")");
                }
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "cannot write secrets under " + dir + ": " + e.getMessage());
        }
    }

    /** The token's {@code sub}, read without verification (it is only for log lines). */
    static String subject(String jwt) {
        try {
            String[] parts = jwt.split("\\.");
            JsonNode claims = Http.JSON.readTree(java.util.Base64.getUrlDecoder().decode(parts[1]));
            return claims.path("sub").asText("workload");
        } catch (Exception e) {
            return "workload";
        }
    }

    static Duration duration(String text, String option) {
        try {
            String t = text.strip().toLowerCase();
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            Duration d = switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
            if (d.isNegative()) {
                throw new NumberFormatException();
            }
            return d;
        } catch (RuntimeException e) {
            throw new CliException(ExitCodes.USAGE, option + " " + text + " is not a duration like 500ms, 30s, 5m or 1h");
        }
    }

    private static void log(Cli cli, String message) {
        cli.err.println(Instant.now() + " sr agent: " + message);
        cli.err.flush();
    }
}
