package dev.strongroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/** JSON over HTTP/1.1 with java.net.http: one shared client, errors turned into {@link CliException}s. */
public final class Http {

    public static final ObjectMapper JSON = new ObjectMapper();

    /** A raw answer. {@code toString} leaves the body out: it may hold a value or a token. */
    public record Answer(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public JsonNode json() {
            if (body == null || body.isBlank()) {
                return JSON.nullNode();
            }
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new CliException(ExitCodes.ERROR, "the service answered HTTP " + status + " with a body that is not JSON");
            }
        }

        @Override
        public String toString() {
            return "Answer[status=" + status + "]";
        }
    }

    private final String userAgent;
    /** SR_TIMING: null (off), "1" (from the process start) or the launch moment in nanoseconds since the epoch. */
    private String timing;
    private HttpClient plain;
    private HttpClient tls;

    public Http(String userAgent) {
        this(userAgent, null);
    }

    /**
     * With {@code timing}, the first request reports on stderr how long after the start it was sent: "1" counts from
     * the process start as the kernel reports it (whole-second boot time: off by a constant up to a second), a
     * number from that moment in nanoseconds since the epoch ({@code SR_TIMING=$(date +%s%N)}, exact).
     */
    public Http(String userAgent, String timing) {
        this.userAgent = userAgent;
        this.timing = timing;
    }

    /**
     * The client for a URL, built on first use. A client for plain http is given an unused, uninitialised TLS
     * context: the JDK would otherwise set up its default TLS context (hundreds of classes, the trust store)
     * on every start of sr, for nothing.
     */
    private HttpClient client(URI url) {
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        if (https ? tls == null : plain == null) {
            HttpClient.Builder builder = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NEVER);
            if (!https) {
                try {
                    builder.sslContext(javax.net.ssl.SSLContext.getInstance("TLS")).sslParameters(new javax.net.ssl.SSLParameters());
                } catch (java.security.NoSuchAlgorithmException e) {
                    // keep the default context
                }
            }
            if (https) {
                tls = builder.build();
            } else {
                plain = builder.build();
            }
        }
        return https ? tls : plain;
    }

    /** Sends a JSON body (or none when null) with an optional bearer token. */
    public Answer send(String method, URI url, Object body, String bearer) {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "cannot encode the request");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", userAgent)
                .method(method, publisher);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return exchange(request.build());
    }

    /** POSTs an application/x-www-form-urlencoded body. */
    public Answer postForm(URI url, Map<String, String> form) {
        StringJoiner encoded = new StringJoiner("&");
        form.forEach((k, v) -> encoded.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .header("User-Agent", userAgent)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encoded.toString()))
                .build();
        return exchange(request);
    }

    private static void reportTiming(String timing) {
        java.time.Instant now = java.time.Instant.now();
        java.time.Instant start;
        if (timing.equals("1")) {
            start = ProcessHandle.current().info().startInstant().orElse(now);
        } else if (timing.matches("[0-9]{1,19}")) {
            long nanos = Long.parseLong(timing);
            start = java.time.Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
        } else {
            return;
        }
        System.err.println("sr: first request " + java.time.Duration.between(start, now).toMillis() + " ms after the "
                + (timing.equals("1") ? "process started" : "given start"));
    }

    private Answer exchange(HttpRequest request) {
        HttpClient client = client(request.uri());
        if (timing != null) {
            reportTiming(timing);
            timing = null;
        }
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), response.body());
        } catch (HttpConnectTimeoutException e) {
            throw unreachable(request.uri(), "connection timed out");
        } catch (HttpTimeoutException e) {
            throw unreachable(request.uri(), "no answer within 30 s");
        } catch (ConnectException e) {
            throw unreachable(request.uri(), "connection refused");
        } catch (IOException e) {
            throw unreachable(request.uri(), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.ERROR, "interrupted");
        }
    }

    private static CliException unreachable(URI uri, String why) {
        return new CliException(ExitCodes.UNAVAILABLE, "cannot reach " + uri.getScheme() + "://" + uri.getAuthority() + ": " + why);
    }

    /** Query string from pairs, skipping null values: {@code ?a=1&b=2} or empty. */
    public static String query(Object... pairs) {
        StringJoiner joined = new StringJoiner("&", "?", "").setEmptyValue("");
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            Object value = pairs[i + 1];
            if (value instanceof Iterable<?> values) {
                for (Object one : values) {
                    joined.add(enc(pairs[i].toString()) + "=" + enc(one.toString()));
                }
            } else if (value != null) {
                joined.add(enc(pairs[i].toString()) + "=" + enc(value.toString()));
            }
        }
        return joined.toString();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
