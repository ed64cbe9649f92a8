package dev.strongroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.util.Map;

/** What every command works with: the environment, the endpoints, the session, stdio and the output format. */
public final class Cli {

    /** The running invocation (one per process; tests set it through {@link Sr#execute}). */
    static Cli current;

    final Map<String, String> env;
    final Endpoints endpoints;
    final Http http;
    final Session session;
    final Prompter prompter;
    final PrintStream out;
    final PrintStream err;
    final Clock clock;
    Output.Format format = Output.Format.table;

    Cli(Map<String, String> env, Prompter prompter, PrintStream out, PrintStream err, Clock clock) {
        this.env = env;
        this.endpoints = Endpoints.from(env);
        this.http = new Http("sr/" + Sr.version(), env.get("SR_TIMING"));
        this.session = new Session(env, http, endpoints.auth(), TokenCache.from(env), clock);
        this.prompter = prompter;
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    static Cli get() {
        return current;
    }

    Output output() {
        return new Output(format, out);
    }

    static URI at(URI base, String path) {
        return URI.create(base + path);
    }

    /** An authenticated call; a 401 with a cached session is retried once after a refresh. Errors throw. */
    JsonNode call(String method, URI base, String path, Object body) {
        Http.Answer answer = http.send(method, at(base, path), body, session.accessToken());
        if (answer.status() == 401) {
            String renewed = session.retryAfterUnauthorized();
            if (renewed != null) {
                answer = http.send(method, at(base, path), body, renewed);
            }
        }
        if (!answer.ok()) {
            throw Problems.toException(answer.status(), answer.body());
        }
        return answer.json();
    }

    JsonNode get(URI base, String path) {
        return call("GET", base, path, null);
    }
}
