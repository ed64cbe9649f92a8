package dev.strongroom.secrets.rotation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strongroom.secrets.GeneratorSpec;
import dev.strongroom.secrets.config.SecretsConfig;
import dev.strongroom.secrets.support.ContextHop;
import dev.strongroom.secrets.support.Generators;
import dev.strongroom.secrets.support.SecretProblems;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

/**
 * The custom-rotation hook: POSTs {@code {"secretId": "..."}} to the generator's URL (its host on the
 * allow-list, checked again at call time) and takes {@code value} from a 200 JSON answer. Redirects are
 * not followed. Failures say what went wrong, never what the webhook answered.
 */
@ApplicationScoped
public class WebhookGenerator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecretsConfig.Rotation config;
    private final HttpClient http;

    @Inject
    public WebhookGenerator(SecretsConfig config) {
        this.config = config.rotation();
        this.http = HttpClient.newBuilder()
                .connectTimeout(this.config.webhookTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public Uni<String> generate(GeneratorSpec spec, UUID secretId) {
        return ContextHop.onCallerContext(Uni.createFrom().deferred(() -> {
            GeneratorSpec checked = Generators.validate(spec, "rotation.generator",
                    config.webhookAllowedHosts().orElse(List.of()));
            HttpRequest request = HttpRequest.newBuilder(URI.create(checked.url()))
                    .timeout(config.webhookTimeout())
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"secretId\":\"" + secretId + "\"}"))
                    .build();
            return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()))
                    .onFailure().transform(e -> new SecretProblems.GeneratorFailed("The rotation webhook could not be reached."))
                    .map(WebhookGenerator::valueOf);
        }));
    }

    private static String valueOf(HttpResponse<byte[]> response) {
        if (response.statusCode() != 200) {
            throw new SecretProblems.GeneratorFailed("The rotation webhook answered " + response.statusCode() + ".");
        }
        try {
            JsonNode value = JSON.readTree(response.body()).get("value");
            if (value == null || !value.isTextual() || value.asText().isEmpty()) {
                throw new SecretProblems.GeneratorFailed("The rotation webhook's answer has no string field 'value'.");
            }
            return value.asText();
        } catch (java.io.IOException e) {
            throw new SecretProblems.GeneratorFailed("The rotation webhook's answer is not JSON.");
        }
    }
}
