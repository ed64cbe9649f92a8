package dev.strongroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProblemsTest {

    @Test
    void problemJsonBecomesOneLineWithDetailStatusAndType() {
        String body = """
                {"type":"https://strongroom.dev/problems/secret-exists","title":"Conflict","status":409,
                 "detail":"A secret with that name exists in\\nproduction."}""";
        CliException e = Problems.toException(409, body);
        assertThat(e.getMessage()).isEqualTo("A secret with that name exists in production. (HTTP 409, secret-exists)");
        assertThat(e.exitCode()).isEqualTo(ExitCodes.CONFLICT);
    }

    @Test
    void validationErrorsListTheirFields() {
        String body = """
                {"type":"https://strongroom.dev/problems/validation-failed","title":"The request has invalid fields.","status":422,
                 "errors":[{"field":"name","message":"must match [a-zA-Z0-9._/-]{1,255}"},{"field":"value","message":"must not be empty"}]}""";
        assertThat(Problems.line(422, body))
                .isEqualTo("The request has invalid fields: name must match [a-zA-Z0-9._/-]{1,255}; value must not be empty (HTTP 422, validation-failed)");
        assertThat(Problems.toException(422, body).exitCode()).isEqualTo(ExitCodes.INVALID);
    }

    @Test
    void oauthErrorsAndBodiesThatAreNotJsonStillGiveAClearLine() {
        assertThat(Problems.line(401, "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed.\"}"))
                .isEqualTo("Client authentication failed. (HTTP 401, invalid_client)");
        assertThat(Problems.line(502, "<html>Bad gateway</html>")).isEqualTo("the service failed (HTTP 502)");
        assertThat(Problems.line(404, "")).isEqualTo("not found (HTTP 404)");
    }

    @Test
    void slugIsTheLastSegmentOfTheProblemType() {
        assertThat(Problems.slug("{\"type\":\"https://strongroom.dev/problems/mfa-required\",\"status\":401}")).isEqualTo("mfa-required");
        assertThat(Problems.slug("{\"status\":401}")).isNull();
        assertThat(Problems.slug("not json")).isNull();
    }

    @Test
    void everyHttpErrorHasItsDocumentedExitCode() {
        assertThat(ExitCodes.forStatus(401)).isEqualTo(3);
        assertThat(ExitCodes.forStatus(403)).isEqualTo(4);
        assertThat(ExitCodes.forStatus(404)).isEqualTo(5);
        assertThat(ExitCodes.forStatus(410)).isEqualTo(5);
        assertThat(ExitCodes.forStatus(409)).isEqualTo(6);
        assertThat(ExitCodes.forStatus(400)).isEqualTo(7);
        assertThat(ExitCodes.forStatus(413)).isEqualTo(7);
        assertThat(ExitCodes.forStatus(422)).isEqualTo(7);
        assertThat(ExitCodes.forStatus(429)).isEqualTo(8);
        assertThat(ExitCodes.forStatus(503)).isEqualTo(9);
        assertThat(ExitCodes.forStatus(418)).isEqualTo(1);
    }
}
