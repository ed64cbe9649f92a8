package dev.strongroom.audit.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.audit.config.HecConfig;
import dev.strongroom.common.audit.AuditJson;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Talks to Splunk's HTTP Event Collector: {@code POST /services/collector/event} with
 * concatenated JSON envelopes and {@code Authorization: Splunk <token>}, and, with indexer
 * acknowledgement, {@code POST /services/collector/ack}. Blocking calls (the forwarder has its
 * own thread); the token never appears in a log line or exception.
 */
public final class HecClient implements AutoCloseable {

    public static final String CHANNEL_HEADER = "X-Splunk-Request-Channel";

    private final HttpClient http;
    private final String eventUrl;
    private final String ackUrl;
    private final String authorization;
    private final long timeoutMillis;

    /** HEC's answer: HTTP status, HEC {@code code} (null if the body had none), text, ack id, first invalid event. */
    public record Response(int status, Integer code, String text, Long ackId, Integer invalidEventNumber) {

        public boolean success() {
            return status == 200 && (code == null || code == 0);
        }
    }

    public HecClient(Vertx vertx, HecConfig config) {
        URI base = baseUrl(config.url().orElseThrow());
        boolean https = "https".equalsIgnoreCase(base.getScheme());
        HttpClientOptions options = new HttpClientOptions()
                .setSsl(https)
                .setConnectTimeout((int) config.requestTimeout().toMillis())
                .setKeepAlive(true)
                .setMaxPoolSize(4);
        if (https) {
            options.setTrustAll(!config.tls().verify()).setVerifyHost(config.tls().verify());
            config.tls().caFile().ifPresent(file -> options.setTrustOptions(new PemTrustOptions().addCertPath(file)));
        }
        this.http = vertx.createHttpClient(options);
        this.eventUrl = base + "/services/collector/event";
        this.ackUrl = base + "/services/collector/ack";
        this.authorization = "Splunk " + config.token().orElse("");
        this.timeoutMillis = config.requestTimeout().toMillis();
    }

    /**
     * The HEC base URL of {@code strongroom.audit.hec.url}, given either as the base
     * ({@code https://splunk:8088}) or as a full endpoint URL as Splunk's docs write it
     * ({@code …/services/collector/event}, {@code …/services/collector}, {@code …/services/collector/raw}).
     */
    static URI baseUrl(String configured) {
        String url = configured.strip().replaceAll("/+$", "");
        url = url.replaceFirst("(?i)/services/collector(/(event|raw|ack)(/1\\.0)?)?$", "");
        return URI.create(url.replaceAll("/+$", ""));
    }

    /** Sends one batch; {@code channel} is null without indexer acknowledgement. Network failures are IOExceptions. */
    public Response send(String body, String channel) throws IOException {
        return call(eventUrl, body, channel);
    }

    /** Asks which of the ack ids the indexers have acknowledged. */
    public Map<Long, Boolean> acks(String channel, List<Long> ackIds) throws IOException {
        Response response = call(ackUrl, AuditJson.write(Map.of("acks", ackIds)), channel);
        Map<Long, Boolean> result = new HashMap<>();
        if (response.status() != 200) {
            throw new IOException("HEC ack query answered " + response.status() + " (code " + response.code() + ")");
        }
        try {
            JsonNode acks = AuditJson.mapper().readTree(response.text()).path("acks");
            acks.fields().forEachRemaining(e -> result.put(Long.parseLong(e.getKey()), e.getValue().asBoolean()));
        } catch (IOException | RuntimeException e) {
            throw new IOException("HEC ack answer unreadable");
        }
        return result;
    }

    private Response call(String url, String body, String channel) throws IOException {
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(url)
                .setTimeout(timeoutMillis)
                .putHeader("Authorization", authorization)
                .putHeader("Content-Type", "application/json");
        if (channel != null) {
            request.putHeader(CHANNEL_HEADER, channel);
        }
        try {
            RawResponse raw = http.request(request)
                    .compose(req -> req.send(Buffer.buffer(body)))
                    .compose(resp -> resp.body().map(bytes -> new RawResponse(resp.statusCode(), bytes.toString())))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(timeoutMillis + 2000, TimeUnit.MILLISECONDS);
            return parse(raw);
        } catch (ExecutionException e) {
            throw new IOException("HEC unreachable: " + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new IOException("HEC did not answer within " + timeoutMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    /** The status answer when the body is HEC's JSON ({@code {"text","code",...}}); the raw body otherwise. */
    static Response parse(RawResponse raw) {
        try {
            JsonNode json = AuditJson.mapper().readTree(raw.body());
            if (json != null && json.isObject() && !json.has("acks")) {
                return new Response(raw.status(), json.has("code") ? json.get("code").asInt() : null, json.path("text").asText(null),
                        json.has("ackId") ? json.get("ackId").asLong() : null,
                        json.has("invalid-event-number") ? json.get("invalid-event-number").asInt() : null);
            }
        } catch (IOException | RuntimeException ignored) {
            // not JSON: a proxy's error page, say
        }
        return new Response(raw.status(), null, raw.body(), null, null);
    }

    record RawResponse(int status, String body) {}

    @Override
    public void close() {
        http.close();
    }
}
