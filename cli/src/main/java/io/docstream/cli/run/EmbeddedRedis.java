package io.docstream.cli.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import redis.embedded.RedisServer;

/**
 * The Redis binary shipped in the embedded-redis jar, bound to loopback, with an append-only file under the
 * data directory so cached entries and rate-limit counters survive a restart like the rest of the data.
 * It can be killed and started again on the same port and data while the services run, which is how the
 * tests prove that a Redis outage costs no failed request.
 */
final class EmbeddedRedis implements AutoCloseable {

    private static final Duration PORT_RELEASE_TIMEOUT = Duration.ofSeconds(10);

    private final Path directory;
    private final int port;
    private RedisServer server;
    private boolean closed;

    private EmbeddedRedis(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    static EmbeddedRedis start(Path directory, int port) {
        EmbeddedRedis redis = new EmbeddedRedis(directory, port);
        redis.server = launch(directory, port);
        return redis;
    }

    /** Kills the Redis process (as a crash would: no final save beyond the once-a-second append-only file). */
    synchronized void kill() {
        if (server == null) {
            return;
        }
        stop(server);
        server = null;
        awaitPortReleased();
    }

    /** Starts Redis again on the same port and data after {@link #kill()}; does nothing when it runs. */
    synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("Redis was closed with the runtime");
        }
        if (server == null) {
            server = launch(directory, port);
        }
    }

    private void awaitPortReleased() {
        long deadline = System.nanoTime() + PORT_RELEASE_TIMEOUT.toNanos();
        while (!FreePorts.isFree(port)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Redis did not release port " + port + " within "
                        + PORT_RELEASE_TIMEOUT.toSeconds() + " s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Redis to stop", e);
            }
        }
    }

    private static RedisServer launch(Path directory, int port) {
        try {
            Files.createDirectories(directory);
            RedisServer server = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("dir \"" + directory.toAbsolutePath() + "\"")
                    .setting("appendonly yes")
                    .setting("appendfsync everysec")
                    .setting("maxmemory 256mb")
                    .setting("maxmemory-policy allkeys-lru")
                    .onShutdownForceStop(true)
                    .build();
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Redis on port " + port, e);
        }
    }

    int port() {
        return port;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            stop(server);
            server = null;
        }
    }

    private static void stop(RedisServer server) {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("Redis did not stop cleanly", e);
        }
    }
}
