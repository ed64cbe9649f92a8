package dev.strongroom.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The model of a Kubernetes Service as kube-proxy makes it: a TCP port that sends each new connection to one of the
 * instances that are ready ({@link ReadyBalancer}'s readiness polling, the endpoints controller's view) and pipes
 * bytes both ways until either side closes. It never looks at HTTP: a connection opened before an instance turned
 * not ready stays with it, as in a cluster, so a caller's pooled keep-alive connections are the services' own
 * concern (common-service's DrainingConnections closes them during the shutdown delay).
 *
 * <p>Put in front of a service whose callers are our other services (auth-service, key-service) by starting the
 * stack with {@code STRONGROOM_SERVICES_<AUTH|KEYS>_URL} pointing here. Counts connections per instance.
 */
final class ReadyTcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final ReadyBalancer balancer;
    private final Map<String, AtomicLong> opened = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> bytesTo = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final Thread acceptor;

    /** Listens on {@code port} of the loopback (chosen before the stack starts, so its services can be told). */
    ReadyTcpProxy(int port, List<String> baseUrls) throws IOException {
        server = new ServerSocket(port, 200, InetAddress.getLoopbackAddress());
        balancer = new ReadyBalancer(baseUrls);
        acceptor = Thread.ofPlatform().name("tcp-proxy-" + port).daemon().start(this::accept);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    ReadyBalancer balancer() {
        return balancer;
    }

    /** Connections this proxy sent to {@code baseUrl} so far. */
    long connectionsTo(String baseUrl) {
        return opened.getOrDefault(baseUrl, new AtomicLong()).get();
    }

    /** Bytes callers sent to {@code baseUrl} so far (requests, whichever connection carried them). */
    long bytesTo(String baseUrl) {
        return bytesTo.getOrDefault(baseUrl, new AtomicLong()).get();
    }

    /** Connections whose chosen instance refused the connect (the caller saw its connection closed at once). */
    long refusedConnects() {
        return refused.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket caller = server.accept();
                Thread.ofVirtual().start(() -> connect(caller));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void connect(Socket caller) {
        String backend = balancer.next();
        URI target = URI.create(backend);
        Socket instance = new Socket();
        try {
            instance.connect(new InetSocketAddress(target.getHost(), target.getPort()), 2_000);
        } catch (IOException e) {
            refused.incrementAndGet();
            closeQuietly(caller);
            closeQuietly(instance);
            return;
        }
        opened.computeIfAbsent(backend, b -> new AtomicLong()).incrementAndGet();
        AtomicInteger directions = new AtomicInteger(2);
        Runnable done = () -> {
            if (directions.decrementAndGet() == 0) {
                closeQuietly(caller);
                closeQuietly(instance);
            }
        };
        AtomicLong sent = bytesTo.computeIfAbsent(backend, b -> new AtomicLong());
        Thread.ofVirtual().start(() -> pipe(caller, instance, sent, done));
        pipe(instance, caller, new AtomicLong(), done);
    }

    /** Copies {@code from} to {@code to} (counting the bytes) until end of stream (then half-closes {@code to}) or an error (then closes both). */
    private static void pipe(Socket from, Socket to, AtomicLong counted, Runnable done) {
        byte[] buffer = new byte[16 * 1024];
        try {
            // not try-with-resources: closing a socket's stream closes the socket, and the other direction may still run
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
                counted.addAndGet(n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // a reset on one side resets the other, as a connection through a NAT would see
            closeQuietly(from);
            closeQuietly(to);
        } finally {
            done.run();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        balancer.close();
        server.close();
        acceptor.interrupt();
    }
}
