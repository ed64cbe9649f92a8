package dev.strongroom.audit.client;

import dev.strongroom.common.audit.AuditJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Posts alerts to a Slack-compatible incoming webhook ({@code {"text": ...}}), asynchronously and
 * best effort: three tries with growing pauses, then a log line. The alert itself is already in
 * the audit log and on its way to Splunk; the webhook is a convenience.
 */
public final class WebhookClient {

    private static final Logger LOG = Logger.getLogger(WebhookClient.class);

    private final URI url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public WebhookClient(String url) {
        this.url = URI.create(url);
    }

    public CompletableFuture<Boolean> post(String text) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(AuditJson.write(Map.of("text", text))))
                .build();
        return attempt(request, 1);
    }

    private CompletableFuture<Boolean> attempt(HttpRequest request, int attempt) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .thenApply(response -> response.statusCode() / 100 == 2)
                .exceptionally(failure -> false)
                .thenCompose(ok -> {
                    if (ok) {
                        return CompletableFuture.completedFuture(true);
                    }
                    if (attempt >= 3) {
                        LOG.warnf("Alert webhook %s did not accept the alert after %d tries", url.getHost(), attempt);
                        return CompletableFuture.completedFuture(false);
                    }
                    return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(attempt * 2L, TimeUnit.SECONDS))
                            .thenCompose(ignored -> attempt(request, attempt + 1));
                });
    }
}
