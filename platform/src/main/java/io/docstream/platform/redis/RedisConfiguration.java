package io.docstream.platform.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Redis client of a service: one server, or a Redis Cluster when {@code docstream.redis.cluster-nodes} is set.
 * Tuned to fail fast: short connect and command timeouts, commands rejected (not queued) while disconnected,
 * reconnecting in the background so Redis is used again as soon as it answers.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RedisProperties.class)
public class RedisConfiguration {

    /** Adaptive topology refreshes (after a MOVED redirect, a node that does not come back) at most this often. */
    private static final Duration ADAPTIVE_REFRESH_LIMIT = Duration.ofSeconds(1);

    @Bean(destroyMethod = "shutdown")
    AbstractRedisClient redisClient(RedisProperties properties) {
        return properties.cluster() ? createClusterClient(properties) : createClient(properties);
    }

    @Bean(destroyMethod = "close")
    Redis redis(AbstractRedisClient redisClient, RedisProperties properties, ObjectProvider<MeterRegistry> meters) {
        return new Redis(redisClient, properties.retryInterval(), properties.maxConcurrent(),
                Redis.Replication.of(properties), meters.getIfAvailable(), Clock.systemUTC());
    }

    /** A fail-fast client of the one server at {@code uri} (also used by tests and tools outside Spring). */
    public static RedisClient createClient(RedisProperties properties) {
        RedisClient client = RedisClient.create(uri(properties));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(properties.connectTimeout()).build())
                .timeoutOptions(TimeoutOptions.enabled(properties.commandTimeout()))
                .build());
        return client;
    }

    /**
     * A fail-fast client of the Redis Cluster that {@code cluster-nodes} seeds. It re-reads the topology every
     * {@code cluster-refresh-period} and at once on a sign of change, so after a failover it sends a slot's commands
     * to the promoted replica within about a second.
     */
    public static RedisClusterClient createClusterClient(RedisProperties properties) {
        RedisURI base = uri(properties);
        List<RedisURI> seeds = properties.nodes().stream().map(node -> {
            int colon = node.lastIndexOf(':');
            if (colon <= 0 || colon == node.length() - 1) {
                throw new IllegalArgumentException("docstream.redis.cluster-nodes wants host:port entries: " + node);
            }
            return RedisURI.builder(base).withHost(node.substring(0, colon))
                    .withPort(Integer.parseInt(node.substring(colon + 1))).build();
        }).toList();
        RedisClusterClient client = RedisClusterClient.create(seeds);
        client.setOptions(ClusterClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(properties.connectTimeout()).build())
                .timeoutOptions(TimeoutOptions.enabled(properties.commandTimeout()))
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(properties.clusterRefreshPeriod())
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_LIMIT)
                        .refreshTriggersReconnectAttempts(2)
                        .build())
                .build());
        return client;
    }

    private static RedisURI uri(RedisProperties properties) {
        RedisURI uri = RedisURI.create(properties.uri());
        // The URI's timeout bounds the connection handshake; commands get theirs from the timeout options.
        uri.setTimeout(properties.connectTimeout());
        if (properties.password() != null && !properties.password().isEmpty()) {
            uri.setAuthentication(properties.password().toCharArray());
        }
        return uri;
    }
}
