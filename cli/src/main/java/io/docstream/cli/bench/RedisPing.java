package io.docstream.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The latency anchor of the cache benchmark: one PING round trip to the Redis the services use, over a
 * plain socket (the least any L2 lookup can cost), measured in the same run as the searches.
 */
final class RedisPing {

    private static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PONG = "+PONG\r\n".getBytes(StandardCharsets.US_ASCII);

    private RedisPing() {
    }

    /** Round trips in nanoseconds after a few warm-up pings; throws when Redis cannot be reached. */
    static Latencies measure(URI redis, int pings) throws IOException {
        Latencies latencies = new Latencies();
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(2000);
            socket.connect(new InetSocketAddress(redis.getHost(), redis.getPort() > 0 ? redis.getPort() : 6379), 2000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < pings + 20; i++) {
                long start = System.nanoTime();
                out.write(PING);
                out.flush();
                byte[] answer = in.readNBytes(PONG.length);
                long took = System.nanoTime() - start;
                if (!Arrays.equals(answer, PONG)) {
                    throw new IOException("Redis answered '" + new String(answer, StandardCharsets.US_ASCII).strip()
                            + "' to PING (a password-protected Redis is not supported by the benchmark anchor)");
                }
                if (i >= 20) {
                    latencies.record(took);
                }
            }
        }
        return latencies;
    }
}
