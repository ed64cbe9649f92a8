package dev.strongroom.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** JSON calls to a started stack's services that check the answer's status (the drill's and the fault test's setup and checks). */
final class StackCalls {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private StackCalls() {}

    /** One call; fails the test unless it answers {@code status}; returns the JSON body (a null node when empty). */
    static JsonNode call(LocalStack stack, String method, String service, String path, String token, Object body, int status)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.url(service) + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    /** A fresh access token of the stack's bootstrap admin. */
    static String adminToken(LocalStack stack) throws Exception {
        String[] admin = stack.admin();
        return call(stack, "POST", "auth-service", "/v1/auth/login", null, java.util.Map.of("username", admin[0], "password", admin[1]), 200)
                .path("accessToken").asText();
    }
}
