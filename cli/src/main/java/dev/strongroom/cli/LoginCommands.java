package dev.strongroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sr login}, {@code sr logout}, {@code sr whoami}. */
final class LoginCommands {

    private LoginCommands() {}

    @Command(name = "login", description = {"Logs in with a username and password (and a one-time code when the account has TOTP).",
            "Prompts at the terminal; without one, reads the password and then the code as lines of stdin.",
            "The session is kept in $XDG_CONFIG_HOME/strongroom/tokens.json (0600) and refreshed when it expires."})
    static final class Login implements Runnable {
        @Option(names = {"-u", "--username"}, description = "default: asked")
        String username;

        @Override
        public void run() {
            Cli cli = Cli.get();
            String user = username != null ? username : cli.prompter.line("Username: ");
            String password = cli.prompter.secret("Password: ");
            ObjectNode body = Http.JSON.createObjectNode().put("username", user).put("password", password);
            Http.Answer answer = cli.http.send("POST", Cli.at(cli.endpoints.auth(), "/v1/auth/login"), body, null);
            if (answer.status() == 401 && "mfa-required".equals(Problems.slug(answer.body()))) {
                body.put("totp", cli.prompter.secret("One-time code: ").strip());
                answer = cli.http.send("POST", Cli.at(cli.endpoints.auth(), "/v1/auth/login"), body, null);
            }
            if (!answer.ok()) {
                throw Problems.toException(answer.status(), answer.body());
            }
            TokenCache.Entry entry = cli.session.store(user, answer.json());
            long seconds = answer.json().path("expiresIn").asLong();
            cli.output().done(Http.JSON.createObjectNode().put("username", user).put("expiresAt", entry.expiresAtEpochSecond()),
                    "Logged in to " + cli.endpoints.auth() + " as " + user + " (token renewed automatically; this one lasts "
                            + Duration.ofSeconds(seconds).toMinutes() + " min)");
        }
    }

    @Command(name = "logout", description = "Ends the session at the server (all its tokens stop working) and forgets it here.")
    static final class Logout implements Runnable {
        @Override
        public void run() {
            Cli cli = Cli.get();
            TokenCache.Entry entry = cli.session.cached();
            if (entry == null) {
                cli.output().done(Http.JSON.createObjectNode().put("loggedOut", false), "Not logged in to " + cli.endpoints.auth());
                return;
            }
            Http.Answer answer = cli.http.send("POST", Cli.at(cli.endpoints.auth(), "/v1/auth/logout"), null, entry.accessToken());
            cli.session.forget();
            if (!answer.ok() && answer.status() != 401) {
                throw Problems.toException(answer.status(), answer.body());
            }
            cli.output().done(Http.JSON.createObjectNode().put("loggedOut", true), "Logged out of " + cli.endpoints.auth());
        }
    }

    @Command(name = "whoami", description = "Shows who the current token belongs to, its roles and whether MFA is on.")
    static final class Whoami implements Runnable {
        @Override
        public void run() {
            Cli cli = Cli.get();
            JsonNode me = cli.get(cli.endpoints.auth(), "/v1/auth/me");
            cli.output().print(me, node -> Output.Table.fields(node, "username", "id", "type", "roles", "mfaEnabled"));
        }
    }
}
