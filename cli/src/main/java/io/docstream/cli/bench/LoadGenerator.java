package io.docstream.cli.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A small HTTP/1.1 load generator over plain sockets: N keep-alive connections, one thread each, sending the
 * same GET. Closed loop (each connection sends as soon as its previous answer is read) for the maximum rate;
 * or constant rate, wrk2-style: each request has an intended send time on a fixed schedule and its latency is
 * counted from that time, so a stalled server is not hidden by the generator waiting for it.
 */
final class LoadGenerator {

    private final URI url;
    private final byte[] request;

    LoadGenerator(URI url, Map<String, String> headers) {
        this.url = url;
        StringBuilder text = new StringBuilder("GET ").append(url.getRawPath());
        if (url.getRawQuery() != null) {
            text.append('?').append(url.getRawQuery());
        }
        text.append(" HTTP/1.1\r\nHost: ").append(url.getHost()).append(':').append(port(url)).append("\r\n");
        headers.forEach((name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
        this.request = text.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** What a run measured; the latencies of every request answered in the run. */
    record Result(long requests, long errors, double seconds, Latencies latencies) {

        double requestsPerSecond() {
            return requests / seconds;
        }
    }

    /** One answer: its status and body. */
    /** An answer; {@code lastOnConnection} when the server said {@code Connection: close} (Tomcat does every 100). */
    record Answer(int status, byte[] body, String contentType, boolean lastOnConnection) {
    }

    /** Sends the request once on a new connection. */
    Answer once() throws IOException {
        try (Connection connection = new Connection()) {
            return connection.exchange();
        }
    }

    /** As many requests as the connections get answered in {@code duration}. */
    Result closedLoop(int connections, Duration duration) throws InterruptedException {
        return run(connections, duration, Double.NaN);
    }

    /** {@code rate} requests per second in total, spread evenly over the connections. */
    Result constantRate(int connections, double rate, Duration duration) throws InterruptedException {
        return run(connections, duration, rate);
    }

    private Result run(int connections, Duration duration, double rate) throws InterruptedException {
        Latencies latencies = new Latencies();
        LongAdder requests = new LongAdder();
        LongAdder errors = new LongAdder();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        double interval = Double.isNaN(rate) ? 0 : connections * 1e9 / rate;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            long first = start + (long) (interval * c / connections);
            threads.add(Thread.ofPlatform().daemon(true).name("bench-load-" + c).start(() -> {
                Connection connection = null;
                long intended = first;
                try {
                    while (true) {
                        if (interval > 0) {
                            long wait = intended - System.nanoTime();
                            if (wait > 0) {
                                LockSupport.parkNanos(wait);
                            }
                        }
                        long sent = interval > 0 ? intended : System.nanoTime();
                        if (sent >= end) {
                            break;
                        }
                        try {
                            if (connection == null) {
                                connection = new Connection();
                            }
                            Answer answer = connection.exchange();
                            latencies.record(System.nanoTime() - sent);
                            requests.increment();
                            if (answer.status() != 200) {
                                errors.increment();
                            }
                            if (answer.lastOnConnection()) {
                                connection.close();
                                connection = null;
                            }
                        } catch (IOException e) {
                            errors.increment();
                            if (connection != null) {
                                connection.close();
                            }
                            connection = null;
                        }
                        intended += (long) interval;
                    }
                } finally {
                    if (connection != null) {
                        connection.close();
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new Result(requests.sum(), errors.sum(), (System.nanoTime() - start) / 1e9, latencies);
    }

    private static int port(URI url) {
        return url.getPort() > 0 ? url.getPort() : 80;
    }

    /** One keep-alive connection; reopened by the caller after a failure. */
    private final class Connection implements AutoCloseable {

        private final Socket socket = new Socket();
        private final OutputStream out;
        private final InputStream in;

        Connection() throws IOException {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            socket.connect(new InetSocketAddress(url.getHost(), port(url)), 5000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        }

        Answer exchange() throws IOException {
            out.write(request);
            out.flush();
            String statusLine = line();
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.1 answer: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            long length = -1;
            boolean chunked = false;
            String contentType = null;
            boolean close = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).strip();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "content-type" -> contentType = value;
                    case "connection" -> close = value.toLowerCase(Locale.ROOT).contains("close");
                    default -> { }
                }
            }
            byte[] body;
            if (chunked) {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                for (int size = chunkSize(); size > 0; size = chunkSize()) {
                    all.write(exactly(size));
                    line();
                }
                for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                    // trailers are not used
                }
                body = all.toByteArray();
            } else {
                body = length >= 0 ? exactly((int) length) : in.readAllBytes();
            }
            return new Answer(status, body, contentType, close);
        }

        private int chunkSize() throws IOException {
            String size = line();
            int extension = size.indexOf(';');
            return Integer.parseInt((extension < 0 ? size : size.substring(0, extension)).strip(), 16);
        }

        private byte[] exactly(int length) throws IOException {
            byte[] bytes = in.readNBytes(length);
            if (bytes.length != length) {
                throw new IOException("connection closed in a body");
            }
            return bytes;
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a connection the server may already have closed
            }
        }
    }
}
