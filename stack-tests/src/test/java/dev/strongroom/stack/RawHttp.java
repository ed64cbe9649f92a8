package dev.strongroom.stack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A deliberately small HTTP/1.1 client over a plain socket, for the fuzzer: it sends exactly the request line,
 * headers and body it is given (malformed percent-escapes, {@code ./..} segments, no or several Content-Types,
 * any charset), one connection per request, and reads the answer while it is still writing the body, as a careful
 * client does, so a server that answers early (413) is seen to answer. "Dropped" means the connection ended or
 * timed out before a status line arrived.
 */
final class RawHttp {

    /** At most this much of an answer's body is kept (error bodies are small; a bigger one is a finding anyway). */
    private static final int MAX_BODY = 256 * 1024;

    record Header(String name, String value) {}

    record Request(String method, String target, List<Header> headers, byte[] body) {}

    /** status 0 when no status line arrived; {@code failure} says what happened to the connection. */
    record Answer(int status, List<Header> headers, byte[] body, String failure) {

        boolean dropped() {
            return status == 0;
        }

        String header(String name) {
            return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst().orElse(null);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private RawHttp() {}

    static Answer exchange(URI base, Request request, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder()
                    .append(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n")
                    .append("Connection: close\r\n");
            for (Header header : request.headers()) {
                head.append(header.name()).append(": ").append(header.value()).append("\r\n");
            }
            if (request.body() != null) {
                head.append("Content-Length: ").append(request.body().length).append("\r\n");
            }
            head.append("\r\n");
            byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
            String[] writeFailure = new String[1];
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    out.write(headBytes);
                    if (request.body() != null) {
                        out.write(request.body());
                    }
                    out.flush();
                } catch (IOException e) {
                    // the server may answer and close before it has read the whole body: its answer still counts
                    writeFailure[0] = e.toString();
                }
            });
            Answer answer = read(socket.getInputStream());
            writer.join(timeout.toMillis());
            if (answer.dropped() && writeFailure[0] != null) {
                return new Answer(0, List.of(), new byte[0], answer.failure() + " (while sending: " + writeFailure[0] + ")");
            }
            return answer;
        } catch (IOException e) {
            return new Answer(0, List.of(), new byte[0], "connection failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, List.of(), new byte[0], "interrupted");
        }
    }

    private static Answer read(InputStream raw) {
        InputStream in = new java.io.BufferedInputStream(raw);
        String statusLine;
        try {
            statusLine = line(in);
        } catch (SocketTimeoutException e) {
            return new Answer(0, List.of(), new byte[0], "no answer within the timeout");
        } catch (IOException e) {
            return new Answer(0, List.of(), new byte[0], "connection closed without an answer: " + e);
        }
        if (statusLine == null) {
            return new Answer(0, List.of(), new byte[0], "connection closed without an answer");
        }
        String[] parts = statusLine.split(" ", 3);
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (RuntimeException e) {
            return new Answer(0, List.of(), new byte[0], "not an HTTP status line: " + statusLine);
        }
        List<Header> headers = new ArrayList<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String failure = null;
        try {
            for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.add(new Header(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
                }
            }
            String length = headers.stream().filter(h -> h.name().equalsIgnoreCase("Content-Length")).map(Header::value).findFirst().orElse(null);
            boolean chunked = headers.stream().anyMatch(h -> h.name().equalsIgnoreCase("Transfer-Encoding")
                    && h.value().toLowerCase(Locale.ROOT).contains("chunked"));
            if (chunked) {
                for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                        size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                    copy(in, body, size);
                    line(in);
                }
            } else if (length != null) {
                copy(in, body, Long.parseLong(length));
            } else {
                copy(in, body, Long.MAX_VALUE);
            }
        } catch (IOException | RuntimeException e) {
            failure = "answer cut short: " + e;
        }
        return new Answer(status, headers, body.toByteArray(), failure);
    }

    private static void copy(InputStream in, ByteArrayOutputStream body, long count) throws IOException {
        byte[] buffer = new byte[8192];
        long left = count;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                if (count == Long.MAX_VALUE) {
                    return;
                }
                throw new IOException("connection closed " + left + " bytes before the end of the body");
            }
            if (body.size() < MAX_BODY) {
                body.write(buffer, 0, Math.min(n, MAX_BODY - body.size()));
            }
            left -= n;
        }
    }

    /** One CRLF-terminated line, or null at the end of the stream before any byte. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
