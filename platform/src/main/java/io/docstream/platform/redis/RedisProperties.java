package io.docstream.platform.redis;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code docstream.redis.*}: where the shared cache (L2) lives and how quickly to give up on it.
 *
 * @param uri            the Redis server, e.g. {@code redis://localhost:6379}
 * @param commandTimeout how long one command may take before it counts as a failure
 * @param connectTimeout how long opening a connection (TCP and the handshake) may take; longer than a command,
 *                       since a loaded machine can be slow to accept one and a failed connect costs a whole
 *                       {@code retryInterval}
 * @param retryInterval  after a failure, how long callers skip Redis before trying it again
 * @param maxConcurrent  most commands waiting on Redis at once; more are refused at once (the cache degrades)
 * @param password       the server's password ({@code requirepass}), if any; in production from
 *                       {@code DOCSTREAM_REDIS_PASSWORD_FILE}. A password in {@code uri} also works; this
 *                       one wins. Use a {@code rediss://} URI for TLS.
 * @param clusterNodes   Redis Cluster seed nodes as a comma-separated {@code host:port} list, e.g.
 *                       {@code redis-1:6379,redis-2:6379}; set, the services use a cluster client (which learns the
 *                       rest of the cluster from these, follows failovers and ignores {@code uri}'s host); empty (the
 *                       default), the single server at {@code uri}. Password and TLS come from {@code password} and
 *                       {@code uri}'s scheme as for one server.
 * @param clusterRefreshPeriod how often the cluster client re-reads the cluster's topology besides refreshing it at
 *                       once on a sign of change (a MOVED redirect, a node it cannot reconnect to)
 * @param waitReplicas   how many replicas must hold an invalidation before the invalidator counts it as done
 *                       (Redis {@code WAIT}, given up after half the command timeout), so a failover that promotes a
 *                       replica loses no acknowledged invalidation; 0 does not wait. In a cluster at most the
 *                       replicas the topology shows the master without a failure flag. Default: 1 with
 *                       {@code cluster-nodes} (give each master a replica), else 0.
 */
@ConfigurationProperties("docstream.redis")
public record RedisProperties(
        @DefaultValue("redis://localhost:6379") String uri,
        @DefaultValue("250ms") Duration commandTimeout,
        @DefaultValue("1s") Duration retryInterval,
        String password,
        @DefaultValue("1s") Duration connectTimeout,
        @DefaultValue("64") int maxConcurrent,
        String clusterNodes,
        @DefaultValue("10s") Duration clusterRefreshPeriod,
        Integer waitReplicas) {

    @ConstructorBinding
    public RedisProperties {
        if (connectTimeout == null) {
            connectTimeout = commandTimeout;
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("docstream.redis.max-concurrent must be at least 1");
        }
        if (clusterRefreshPeriod == null) {
            clusterRefreshPeriod = Duration.ofSeconds(10);
        }
        if (waitReplicas == null) {
            waitReplicas = clusterNodes == null || clusterNodes.isBlank() ? 0 : 1;
        }
        if (waitReplicas < 0) {
            throw new IllegalArgumentException("docstream.redis.wait-replicas must not be negative");
        }
    }

    public RedisProperties(String uri, Duration commandTimeout, Duration retryInterval, String password,
            Duration connectTimeout, int maxConcurrent) {
        this(uri, commandTimeout, retryInterval, password, connectTimeout, maxConcurrent, null, null, null);
    }

    public RedisProperties(String uri, Duration commandTimeout, Duration retryInterval, String password,
            Duration connectTimeout) {
        this(uri, commandTimeout, retryInterval, password, connectTimeout, Redis.MAX_CONCURRENT);
    }

    /** Settings whose connect timeout is the command timeout. */
    public RedisProperties(String uri, Duration commandTimeout, Duration retryInterval, String password) {
        this(uri, commandTimeout, retryInterval, password, commandTimeout);
    }

    /** Whether {@code cluster-nodes} names a Redis Cluster. */
    public boolean cluster() {
        return !nodes().isEmpty();
    }

    /** The {@code host:port} entries of {@code cluster-nodes}, empty for a single server. */
    public List<String> nodes() {
        return clusterNodes == null ? List.of()
                : Arrays.stream(clusterNodes.split(",")).map(String::trim).filter(node -> !node.isEmpty()).toList();
    }

    /** These settings for a Redis Cluster with the given seed nodes (tests and tools). */
    public RedisProperties withClusterNodes(String nodes, Duration refreshPeriod) {
        return new RedisProperties(uri, commandTimeout, retryInterval, password, connectTimeout, maxConcurrent, nodes,
                refreshPeriod, null);
    }

    @Override
    public String toString() {
        return "RedisProperties[uri=" + RedisURI.create(uri).toString() + ", commandTimeout=" + commandTimeout
                + ", retryInterval=" + retryInterval + ", connectTimeout=" + connectTimeout
                + ", maxConcurrent=" + maxConcurrent + ", clusterNodes=" + nodes() + ", clusterRefreshPeriod="
                + clusterRefreshPeriod + ", waitReplicas=" + waitReplicas + ", password="
                + (password == null ? "none" : "(secret)") + "]";
    }
}
