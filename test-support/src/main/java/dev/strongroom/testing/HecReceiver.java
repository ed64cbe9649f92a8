package dev.strongroom.testing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test double of Splunk's HTTP Event Collector, following its documented protocol:
 * {@code POST /services/collector/event} (and {@code /services/collector}) with
 * {@code Authorization: Splunk <token>} (missing → 401 code 2, malformed → 401 code 3, unknown
 * token → 403 code 4), a body of concatenated JSON event objects (empty → 400 code 5, unparseable
 * → 400 code 6, no {@code event} → 400 code 12, blank event → 400 code 13, each with
 * {@code invalid-event-number}), {@code 503 {"text":"Server is busy","code":9}} when busy, and
 * indexer acknowledgement ({@code X-Splunk-Request-Channel} required → 400 code 10,
 * {@code ackId} in the answer, {@code POST /services/collector/ack {"acks":[..]}}). A request is
 * all or nothing: a refused batch indexes none of its events.
 *
 * <p>Test hook, not in Splunk: an event whose JSON contains {@link #POISON} is answered like
 * unparseable data (400 code 6), so tests can make HEC refuse one particular event.
 */
public final class HecReceiver {

    public static final String POISON = "hec-poison";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private volatile String token = "test-hec-token-" + Long.toHexString(System.nanoTime());
    private volatile boolean busy;
    private volatile boolean ackRequired;
    private volatile int ackAfterPolls;
    private volatile long delayMillis;
    private volatile boolean countOnly;
    private final java.util.Set<String> countedIds = ConcurrentHashMap.newKeySet();
    private final AtomicLong countedEvents = new AtomicLong();
    private final List<JsonNode> indexed = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong nextAckId = new AtomicLong();
    private final Map<Long, List<JsonNode>> unacked = new ConcurrentHashMap<>();
    private final Map<Long, AtomicInteger> ackPolls = new ConcurrentHashMap<>();
    private HttpServer server;

    private static HecReceiver shared;
    /** A private monitor: no outside code can hold it (find-sec-bugs USO_UNSAFE_STATIC_METHOD_SYNCHRONIZATION). */
    private static final Object LOCK = new Object();
    /** A private monitor: no outside code can hold it (find-sec-bugs USO_UNSAFE_METHOD_SYNCHRONIZATION). */
    private final Object lock = new Object();

    private HecReceiver(int port) {
        this.port = port;
    }

    /** One receiver per test JVM, started on first use. */
    public static HecReceiver shared() {
        synchronized (LOCK) {
            if (shared == null) {
                try (ServerSocket socket = new ServerSocket(0)) {
                    shared = new HecReceiver(socket.getLocalPort());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                shared.start();
            }
            return shared;
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String token() {
        return token;
    }

    /** A different token than the one audit-service sends: HEC answers 403 code 4. */
    public void acceptToken(String newToken) {
        this.token = newToken;
    }

    public void busy(boolean value) {
        this.busy = value;
    }

    /** Requires a channel and answers with ack ids that turn true after {@code polls} ack queries. */
    public void requireAck(boolean value, int polls) {
        this.ackRequired = value;
        this.ackAfterPolls = polls;
    }

    public void delay(long millis) {
        this.delayMillis = millis;
    }

    /** For benchmarks: keep only event ids and a count instead of every envelope. */
    public void countOnly(boolean value) {
        this.countOnly = value;
    }

    /** Distinct CloudEvent ids received in count-only mode. */
    public int countedDistinct() {
        return countedIds.size();
    }

    /** Envelopes received in count-only mode, duplicates included. */
    public long countedEvents() {
        return countedEvents.get();
    }

    public void start() {
        synchronized (lock) {
            if (server != null) {
                return;
            }
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            } catch (IOException e) {
                throw new IllegalStateException("HEC test receiver cannot bind port " + port, e);
            }
            server.createContext("/services/collector/ack", this::ack);
            server.createContext("/services/collector", this::collect);
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.start();
        }
    }

    /** Connection refused from now on, until {@link #start()}. */
    public void stop() {
        synchronized (lock) {
            if (server != null) {
                server.stop(0);
                server = null;
            }
        }
    }

    /** Everything indexed so far: the envelopes as received. */
    public List<JsonNode> indexed() {
        return indexed;
    }

    public List<JsonNode> indexedWithEventIdIn(java.util.Collection<String> ids) {
        return indexed.stream().filter(e -> ids.contains(e.path("event").path("id").asText())).toList();
    }

    public List<String> authorizations() {
        return authorizations;
    }

    public int requests() {
        return requests.get();
    }

    private void collect(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            sleep();
            if (!exchange.getRequestMethod().equals("POST")) {
                answer(exchange, 405, Map.of("text", "Method not allowed", "code", 6));
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                authorizations.add(auth);
            }
            if (!authorized(exchange, auth)) {
                return;
            }
            if (busy) {
                answer(exchange, 503, Map.of("text", "Server is busy", "code", 9));
                return;
            }
            String channel = exchange.getRequestHeaders().getFirst("X-Splunk-Request-Channel");
            if (ackRequired && channel == null) {
                answer(exchange, 400, Map.of("text", "Data channel is missing", "code", 10));
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            List<JsonNode> events = new ArrayList<>();
            int number = 0;
            try (MappingIterator<JsonNode> objects = JSON.readerFor(JsonNode.class).readValues(body)) {
                while (objects.hasNext()) {
                    JsonNode event;
                    try {
                        event = objects.next();
                    } catch (RuntimeException e) {
                        invalid(exchange, "Invalid data format", 6, number);
                        return;
                    }
                    if (!event.isObject() || event.toString().contains(POISON)) {
                        invalid(exchange, "Invalid data format", 6, number);
                        return;
                    }
                    if (!event.has("event")) {
                        invalid(exchange, "Event field is required", 12, number);
                        return;
                    }
                    JsonNode payload = event.get("event");
                    if (payload.isNull() || (payload.isTextual() && payload.textValue().isBlank()) || (payload.isObject() && payload.isEmpty())) {
                        invalid(exchange, "Event field cannot be blank", 13, number);
                        return;
                    }
                    events.add(event);
                    number++;
                }
            } catch (IOException e) {
                invalid(exchange, "Invalid data format", 6, number);
                return;
            }
            if (events.isEmpty()) {
                answer(exchange, 400, Map.of("text", "No data", "code", 5));
                return;
            }
            if (ackRequired) {
                long ackId = nextAckId.getAndIncrement();
                unacked.put(ackId, events);
                ackPolls.put(ackId, new AtomicInteger());
                answer(exchange, 200, Map.of("text", "Success", "code", 0, "ackId", ackId));
            } else {
                if (countOnly) {
                    events.forEach(e -> countedIds.add(e.path("event").path("id").asText()));
                    countedEvents.addAndGet(events.size());
                } else {
                    indexed.addAll(events);
                }
                answer(exchange, 200, Map.of("text", "Success", "code", 0));
            }
        }
    }

    private void ack(HttpExchange exchange) throws IOException {
        try (exchange) {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (!authorized(exchange, auth)) {
                return;
            }
            if (!ackRequired) {
                answer(exchange, 400, Map.of("text", "ACK is disabled", "code", 14));
                return;
            }
            if (exchange.getRequestHeaders().getFirst("X-Splunk-Request-Channel") == null) {
                answer(exchange, 400, Map.of("text", "Data channel is missing", "code", 10));
                return;
            }
            JsonNode query;
            try (InputStream in = exchange.getRequestBody()) {
                query = JSON.readTree(in);
            } catch (IOException e) {
                answer(exchange, 400, Map.of("text", "Invalid data format", "code", 6));
                return;
            }
            Map<String, Boolean> acks = new java.util.LinkedHashMap<>();
            for (JsonNode id : query.path("acks")) {
                long ackId = id.asLong();
                AtomicInteger polls = ackPolls.get(ackId);
                boolean done = polls != null && polls.incrementAndGet() > ackAfterPolls;
                if (done) {
                    List<JsonNode> events = unacked.remove(ackId);
                    if (events != null) {
                        indexed.addAll(events);
                    }
                }
                acks.put(Long.toString(ackId), done);
            }
            answer(exchange, 200, Map.of("acks", acks));
        }
    }

    private boolean authorized(HttpExchange exchange, String auth) throws IOException {
        if (auth == null) {
            answer(exchange, 401, Map.of("text", "Token is required", "code", 2));
            return false;
        }
        if (!auth.startsWith("Splunk ") || auth.length() <= "Splunk ".length()) {
            answer(exchange, 401, Map.of("text", "Invalid authorization", "code", 3));
            return false;
        }
        if (!auth.substring("Splunk ".length()).equals(token)) {
            answer(exchange, 403, Map.of("text", "Invalid token", "code", 4));
            return false;
        }
        return true;
    }

    private static void invalid(HttpExchange exchange, String text, int code, int number) throws IOException {
        answer(exchange, 400, Map.of("text", text, "code", code, "invalid-event-number", number));
    }

    private static void answer(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private void sleep() {
        long millis = delayMillis;
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static {
        JSON.configure(JsonParser.Feature.AUTO_CLOSE_SOURCE, true);
    }
}
