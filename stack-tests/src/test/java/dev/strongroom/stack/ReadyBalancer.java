package dev.strongroom.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The model of a Kubernetes Service in front of several instances of one service: client-side round robin over the
 * instances whose {@code /q/health/ready} answered 200 at the last poll (every 200 ms, like the endpoints controller
 * dropping a pod that is not ready or terminating). The load asks it for a base URL per request, so new requests stop
 * going to an instance once its readiness is DOWN, while the requests it already has run to their end. Records when
 * it first saw each instance not ready, for the shutdown timings.
 */
final class ReadyBalancer implements AutoCloseable {

    private static final long POLL_MILLIS = 200;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private final List<String> backends = new CopyOnWriteArrayList<>();
    private final Map<String, Boolean> ready = new ConcurrentHashMap<>();
    private final Map<String, Long> firstNotReady = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private final Thread poller;
    private volatile boolean running = true;

    ReadyBalancer(List<String> baseUrls) {
        backends.addAll(baseUrls);
        pollOnce();
        poller = Thread.ofPlatform().name("ready-balancer").daemon().start(this::poll);
    }

    /** A ready instance's base URL, in turn; the first one when none is ready (the request then fails, as it would). */
    String next() {
        List<String> up = backends.stream().filter(b -> ready.getOrDefault(b, false)).toList();
        if (up.isEmpty()) {
            return backends.get(0);
        }
        return up.get(Math.floorMod(next.getAndIncrement(), up.size()));
    }

    boolean ready(String baseUrl) {
        return ready.getOrDefault(baseUrl, false);
    }

    /** When the poller first saw the instance not ready since {@link #forget}; null if it has not. */
    Long firstNotReady(String baseUrl) {
        return firstNotReady.get(baseUrl);
    }

    void forget(String baseUrl) {
        firstNotReady.remove(baseUrl);
    }

    /** Another instance (a new pod of the Deployment): chosen once its readiness answers 200. */
    void add(String baseUrl) {
        backends.add(baseUrl);
    }

    /** An instance gone for good (its pod deleted). */
    void remove(String baseUrl) {
        backends.remove(baseUrl);
        ready.remove(baseUrl);
    }

    private void poll() {
        while (running) {
            pollOnce();
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void pollOnce() {
        for (String backend : backends) {
            boolean up;
            try {
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create(backend + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                up = answer.statusCode() == 200;
            } catch (java.net.http.HttpTimeoutException slow) {
                // a slow answer is not a "not ready" (Kubernetes waits for failureThreshold probes): keep what we knew
                continue;
            } catch (java.io.IOException e) {
                up = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            ready.put(backend, up);
            if (!up) {
                firstNotReady.putIfAbsent(backend, System.currentTimeMillis());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        poller.interrupt();
    }
}
