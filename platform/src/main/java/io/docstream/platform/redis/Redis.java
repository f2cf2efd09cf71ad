package io.docstream.platform.redis;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the services talk to Redis: string keys, byte values, behind a resilience4j bulkhead and circuit
 * breaker named {@code redis}. The connection is opened on first use (so a service starts while Redis is down)
 * and reconnects by itself; while it is disconnected Lettuce rejects commands at once instead of queueing them.
 * Commands end within {@code command-timeout}. The breaker opens on any failure, so callers skip Redis for
 * {@code retry-interval} and a dead Redis costs a request at most one timeout per interval; then one trial
 * command decides whether it closes again. At most {@code max-concurrent} commands wait on Redis at once; more
 * are refused at once. Commands are not retried: the caches degrade to L1 and the origin instead. The client is one
 * server's ({@link RedisClient}) or a Redis Cluster's ({@link RedisClusterClient}, which routes each command by its
 * key's slot); callers see the commands both have in common.
 */
public class Redis implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Redis.class);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    /** Default of {@code docstream.redis.max-concurrent}. */
    static final int MAX_CONCURRENT = 64;
    static final String NAME = "redis";

    /**
     * How many replicas must acknowledge a {@link #executeReplicated replicated} write (Redis {@code WAIT}), and how
     * long the server may wait for them.
     */
    public record Replication(int replicas, Duration timeout) {

        public static final Replication NONE = new Replication(0, Duration.ZERO);

        public Replication {
            if (replicas < 0) {
                throw new IllegalArgumentException("replicas must not be negative");
            }
            Objects.requireNonNull(timeout, "timeout");
        }

        /** {@code wait-replicas}, waiting at most half the command timeout so the answer beats the client's timeout. */
        public static Replication of(RedisProperties properties) {
            return new Replication(properties.waitReplicas(),
                    Duration.ofMillis(Math.max(1, properties.commandTimeout().toMillis() / 2)));
        }
    }

    private final AbstractRedisClient client;
    private final Replication replication;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final Clock clock;
    private volatile long skipUntilMillis;
    private final Counter timeouts;
    private final Counter connectionErrors;
    private final Counter commandErrors;
    private final Object connectLock = new Object();
    private volatile StatefulConnection<String, byte[]> connection;
    private volatile RedisClusterCommands<String, byte[]> commands;
    private volatile boolean closed;

    public Redis(AbstractRedisClient client, Duration retryInterval, MeterRegistry meters) {
        this(client, retryInterval, MAX_CONCURRENT, meters, Clock.systemUTC());
    }

    Redis(AbstractRedisClient client, Duration retryInterval, MeterRegistry meters, Clock clock) {
        this(client, retryInterval, MAX_CONCURRENT, meters, clock);
    }

    public Redis(AbstractRedisClient client, Duration retryInterval, int maxConcurrent, MeterRegistry meters,
            Clock clock) {
        this(client, retryInterval, maxConcurrent, Replication.NONE, meters, clock);
    }

    /**
     * @param client      a {@link RedisClient} or a {@link RedisClusterClient}
     * @param replication what {@link #executeReplicated} waits for
     */
    public Redis(AbstractRedisClient client, Duration retryInterval, int maxConcurrent, Replication replication,
            MeterRegistry meters, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        if (!(client instanceof RedisClient) && !(client instanceof RedisClusterClient)) {
            throw new IllegalArgumentException("a RedisClient or a RedisClusterClient, not " + client.getClass());
        }
        this.replication = Objects.requireNonNull(replication, "replication");
        Objects.requireNonNull(retryInterval, "retryInterval");
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(1)
                .minimumNumberOfCalls(1)
                .failureRateThreshold(100)
                .waitDurationInOpenState(retryInterval)
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordExceptions(RedisException.class)
                .clock(clock)
                .build());
        BulkheadRegistry bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(maxConcurrent)
                .maxWaitDuration(Duration.ZERO)
                .build());
        this.breaker = breakers.circuitBreaker(NAME);
        this.bulkhead = bulkheads.bulkhead(NAME);
        this.clock = clock;
        breaker.getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                skipUntilMillis = clock.millis() + retryInterval.toMillis();
            }
        });
        MeterRegistry registry = meters != null ? meters : new CompositeMeterRegistry();
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(registry);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(registry);
        this.timeouts = errors(registry, "timeout");
        this.connectionErrors = errors(registry, "connection");
        this.commandErrors = errors(registry, "command");
    }

    private static Counter errors(MeterRegistry registry, String kind) {
        return Counter.builder("docstream.redis.errors")
                .description("Redis commands that failed or were skipped after a failure")
                .tag("kind", kind)
                .register(registry);
    }

    /**
     * Runs commands against Redis.
     *
     * @throws RedisUnavailableException when Redis fails, is too slow, or is skipped after a recent failure
     */
    public <T> T execute(Function<RedisClusterCommands<String, byte[]>, T> commands) {
        return guarded(() -> commands.apply(commands()));
    }

    /**
     * Runs writes that must survive a failover: on the connection to the master of {@code key}'s slot, then waits
     * until {@link Replication#replicas()} replicas hold them (Redis {@code WAIT} on the same connection; in a
     * cluster at most as many as the master has without a failure flag). Every key the writes touch must share
     * {@code key}'s slot. A replica promoted after this returned has the writes; one that did not acknowledge in time
     * makes this throw, so the caller runs the writes again (they must be idempotent). Not covered: a second failure,
     * where a replica that was away when a write returned comes back and is promoted (Redis allows it for
     * {@code cluster-node-timeout} times {@code cluster-replica-validity-factor}).
     *
     * @throws RedisUnavailableException as {@link #execute} does, and when too few replicas acknowledged
     */
    public <T> T executeReplicated(String key, Function<RedisClusterCommands<String, byte[]>, T> writes) {
        Objects.requireNonNull(key, "key");
        try {
            return guarded(() -> {
                Master master = master(key);
                T result = writes.apply(master.commands());
                if (master.replicas() > 0) {
                    long acknowledged = master.commands().waitForReplication(master.replicas(),
                            replication.timeout().toMillis());
                    if (acknowledged < master.replicas()) {
                        throw new RedisException("only " + acknowledged + " of " + master.replicas()
                                + " replicas acknowledged a write within " + replication.timeout().toMillis() + " ms");
                    }
                }
                return result;
            });
        } catch (RedisUnavailableException e) {
            if (client instanceof RedisClusterClient cluster && !closed) {
                // A failover may have moved the slot or lost a replica: learn it before the caller tries again.
                cluster.refreshPartitionsAsync();
            }
            throw e;
        }
    }

    /** The commands of a key's master and how many of its replicas a replicated write waits for. */
    private record Master(RedisClusterCommands<String, byte[]> commands, int replicas) {
    }

    /**
     * The one server (waiting for {@code wait-replicas}), or the master of {@code key}'s slot over the connection
     * Lettuce routes that slot's writes on (so WAIT counts them), waiting for at most the replicas the cluster's
     * topology shows it without a failure flag: a master whose replica died (or was promoted away from it) has
     * nothing to lose a write to, and waiting for a replica that is not there would stall every write.
     */
    private Master master(String key) {
        RedisClusterCommands<String, byte[]> shared = commands();
        if (!(connection instanceof StatefulRedisClusterConnection<String, byte[]> cluster)) {
            return new Master(shared, replication.replicas());
        }
        int slot = SlotHash.getSlot(key);
        Partitions partitions = cluster.getPartitions();
        RedisClusterNode master = partitions.getMasterBySlot(slot);
        if (master == null) {
            throw new RedisException("no master serves slot " + slot);
        }
        long replicas = partitions.stream()
                .filter(node -> master.getNodeId().equals(node.getSlaveOf()))
                .filter(node -> !node.is(RedisClusterNode.NodeFlag.FAIL)
                        && !node.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL))
                .count();
        RedisURI uri = master.getUri();
        return new Master(cluster.getConnection(uri.getHost(), uri.getPort()).sync(),
                (int) Math.min(replication.replicas(), replicas));
    }

    private <T> T guarded(Supplier<T> work) {
        if (closed) {
            throw new RedisUnavailableException("Redis client is closed", null);
        }
        try {
            return breaker.executeSupplier(Bulkhead.decorateSupplier(bulkhead, work));
        } catch (CallNotPermittedException e) {
            throw new RedisUnavailableException("Redis skipped after a recent failure", e);
        } catch (BulkheadFullException e) {
            throw new RedisUnavailableException("Redis busy: " + e.getMessage(), e);
        } catch (RedisException e) {
            count(e);
            throw new RedisUnavailableException("Redis failed: " + e.getMessage(), e);
        }
    }

    /**
     * False while callers skip Redis after a recent failure (the breaker is open and its {@code retry-interval}
     * has not passed) or while the one trial command after it is under way.
     */
    public boolean available() {
        return switch (breaker.getState()) {
            case CLOSED, DISABLED, METRICS_ONLY -> true;
            case OPEN -> clock.millis() > skipUntilMillis;
            default -> false;
        };
    }

    private void count(RedisException e) {
        if (e instanceof RedisCommandTimeoutException) {
            timeouts.increment();
        } else if (e instanceof RedisConnectionException) {
            connectionErrors.increment();
        } else {
            commandErrors.increment();
        }
    }

    private RedisClusterCommands<String, byte[]> commands() {
        RedisClusterCommands<String, byte[]> current = commands;
        if (current != null) {
            return current;
        }
        synchronized (connectLock) {
            if (commands == null) {
                if (client instanceof RedisClusterClient cluster) {
                    StatefulRedisClusterConnection<String, byte[]> opened = cluster.connect(CODEC);
                    connection = opened;
                    commands = opened.sync();
                } else {
                    StatefulRedisConnection<String, byte[]> opened = ((RedisClient) client).connect(CODEC);
                    connection = opened;
                    commands = opened.sync();
                }
            }
            return commands;
        }
    }

    private StatefulRedisPubSubConnection<String, byte[]> connectPubSub() {
        return client instanceof RedisClusterClient cluster ? cluster.connectPubSub(CODEC)
                : ((RedisClient) client).connectPubSub(CODEC);
    }

    /**
     * Publishes a message on a pub/sub channel: a fast, lossy copy of what a durable record says (subscribers that
     * are disconnected miss it). Returns how many subscribers received it.
     *
     * @throws RedisUnavailableException as {@link #execute} does
     */
    public long publish(String channel, byte[] message) {
        return execute(commands -> commands.publish(channel, message));
    }

    /**
     * Delivers every message published on {@code channel} from now on to {@code listener}, on Lettuce's event loop
     * (the listener must not block). The subscription is made on a connection of its own; while Redis is away it is
     * retried every {@code retry} in the background, and Lettuce subscribes again after a reconnect. Messages
     * published while disconnected are lost: subscribers use this beside a durable record, never instead of one.
     * In a Redis Cluster the subscription is made on one node, which hears what is published on any of them.
     */
    public AutoCloseable subscribe(String channel, Consumer<byte[]> listener, Duration retry) {
        Subscription subscription = new Subscription(channel, Objects.requireNonNull(listener, "listener"), retry);
        subscription.connector = Thread.ofPlatform().name("redis-subscribe-" + channel).daemon(true)
                .start(subscription::connect);
        return subscription;
    }

    /** One channel's subscription: connected in the background until it succeeds or is closed. */
    private final class Subscription implements AutoCloseable {

        private final String channel;
        private final Consumer<byte[]> listener;
        private final Duration retry;
        private Thread connector;
        private StatefulRedisPubSubConnection<String, byte[]> connection;
        private boolean unsubscribed;

        Subscription(String channel, Consumer<byte[]> listener, Duration retry) {
            this.channel = channel;
            this.listener = listener;
            this.retry = retry;
        }

        void connect() {
            while (!closed && !Thread.currentThread().isInterrupted()) {
                StatefulRedisPubSubConnection<String, byte[]> pubSub = null;
                try {
                    pubSub = connectPubSub();
                    pubSub.addListener(new RedisPubSubAdapter<>() {
                        @Override
                        public void message(String from, byte[] message) {
                            if (channel.equals(from)) {
                                listener.accept(message);
                            }
                        }
                    });
                    pubSub.sync().subscribe(channel);
                    if (!keep(pubSub)) {
                        pubSub.close();
                    }
                    return;
                } catch (RedisException e) {
                    if (pubSub != null) {
                        pubSub.close();
                    }
                    log.debug("subscribing to {} failed, retrying in {}: {}", channel, retry, e.toString());
                    try {
                        Thread.sleep(retry.toMillis());
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }

        /** Keeps the connection unless the subscription was closed meanwhile. */
        private synchronized boolean keep(StatefulRedisPubSubConnection<String, byte[]> pubSub) {
            if (unsubscribed) {
                return false;
            }
            connection = pubSub;
            return true;
        }

        @Override
        public synchronized void close() {
            unsubscribed = true;
            connector.interrupt();
            if (connection != null) {
                connection.close();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (connectLock) {
            if (connection != null) {
                connection.close();
            }
        }
    }
}
