package io.docstream.platform.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import redis.embedded.RedisServer;

/**
 * A real Redis server for tests (the binary shipped in the embedded-redis jar) on a free loopback port,
 * which a test can stop and start again on the same port to play an outage.
 */
public final class TestRedis implements AutoCloseable {

    private final int port;
    private RedisServer server;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    private TestRedis(int port) {
        this.port = port;
    }

    public static TestRedis start() {
        TestRedis redis = new TestRedis(freePort());
        redis.restart();
        return redis;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Settings that fail fast, as the services use them. */
    public RedisProperties properties() {
        return failFast(uri());
    }

    /** The client the services use, with their fail-fast settings; the caller closes it. */
    public Redis serviceClient() {
        return serviceClient(properties());
    }

    /** A service client for a port where nothing listens. */
    public static Redis unreachableServiceClient() {
        return serviceClient(failFast("redis://127.0.0.1:" + freePort()));
    }

    /** Plain string commands over one connection kept until {@link #close()}, to set up and inspect state. */
    public synchronized RedisCommands<String, String> commands() {
        if (connection == null) {
            client = RedisClient.create(uri());
            connection = client.connect();
        }
        return connection.sync();
    }

    /** Stops the server; the port stays reserved for {@link #restart()}. */
    public synchronized void stop() {
        if (server != null) {
            try {
                server.stop();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = null;
            awaitPort(false);
        }
    }

    /** Starts the server (again) on the same port, empty. */
    public synchronized void restart() {
        if (server == null) {
            try {
                server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                        .setting("save \"\"").setting("appendonly no").onShutdownForceStop(true).build();
                server.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            awaitPort(true);
        }
    }

    /** Removes every key (between tests). */
    public void flushAll() {
        withConnection(commands -> commands.flushall());
    }

    /** Sets a key over a fresh connection (as another process would). */
    public void set(String key, String value) {
        withConnection(commands -> commands.set(key, value));
    }

    /** Reads a key over a fresh connection; null when missing. */
    public String get(String key) {
        return withConnection(commands -> commands.get(key));
    }

    /** Deletes keys over a fresh connection. */
    public void del(String... keys) {
        withConnection(commands -> commands.del(keys));
    }

    /** Whether a key exists, over a fresh connection. */
    public boolean exists(String key) {
        return withConnection(commands -> commands.exists(key)) > 0;
    }

    /** Keys matching a glob pattern, over a fresh connection. */
    public List<String> keys(String pattern) {
        return withConnection(commands -> commands.keys(pattern));
    }

    <T> T withConnection(Function<RedisCommands<String, String>, T> work) {
        RedisClient client = RedisClient.create(uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return work.apply(connection.sync());
        } finally {
            client.shutdown();
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
            client.shutdown();
            connection = null;
        }
        stop();
    }

    private static RedisProperties failFast(String uri) {
        return new RedisProperties(uri, Duration.ofMillis(250), Duration.ofMillis(200), null, Duration.ofSeconds(2));
    }

    private static Redis serviceClient(RedisProperties properties) {
        return new Redis(RedisConfiguration.createClient(properties), properties.retryInterval(), null);
    }

    private void awaitPort(boolean open) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (listening() != open) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Redis on port " + port + " did not " + (open ? "start" : "stop"));
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private boolean listening() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
