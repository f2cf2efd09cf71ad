package io.docstream.invalidator;

import io.docstream.platform.redis.Redis;
import io.docstream.platform.redis.RedisConfiguration;
import io.docstream.platform.redis.RedisProperties;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import redis.embedded.RedisServer;

/** A real Redis server (the binary shipped in embedded-redis) on a free loopback port, for the tests. */
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
        redis.startServer();
        return redis;
    }

    public String uri() {
        return uriOf(port);
    }

    /** Plain string commands, to set up and inspect what the invalidator did. */
    public RedisCommands<String, String> commands() {
        if (connection == null) {
            client = RedisClient.create(uri());
            connection = client.connect();
        }
        return connection.sync();
    }

    /** The client the services use, fail-fast settings included. */
    public Redis serviceClient() {
        return serviceClientFor(uri());
    }

    /** A service client for a port where nothing listens. */
    public static Redis unreachableServiceClient() {
        return serviceClientFor(uriOf(freePort()));
    }

    public synchronized void stopServer() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void startServer() {
        try {
            server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                    .setting("save \"\"").setting("appendonly no").onShutdownForceStop(true).build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Redis on port " + port, e);
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
            client.shutdown();
        }
        stopServer();
    }

    private static Redis serviceClientFor(String uri) {
        RedisProperties properties = new RedisProperties(uri, Duration.ofMillis(250), Duration.ofMillis(200), null, Duration.ofSeconds(2));
        return new Redis(RedisConfiguration.createClient(properties), properties.retryInterval(), null);
    }

    private static String uriOf(int port) {
        return "redis://127.0.0.1:" + port;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
