package io.docstream.query.cache;

import io.docstream.cache.CacheKeys;
import io.docstream.platform.kafka.KafkaClients;
import io.docstream.platform.redis.Redis;
import io.docstream.schemas.events.CacheInvalidated;
import io.docstream.schemas.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Reads every partition of the invalidation stream (no consumer group: every instance needs every
 * event) from its end, and applies each event to this process's L1; beside it, the invalidator's pub/sub
 * announcements of the same events ({@link CacheKeys#INVALIDATIONS_CHANNEL}), which arrive before the topic's
 * transaction commits, are applied as they come (each event takes effect once, whichever copy is first). When the
 * stream could not be read for longer than {@code invalidation-gap} (a failure, or the consumer had to start over
 * from the end), events may have been missed, so all of L1 is dropped once reading resumes; while it cannot be read,
 * generations are read from Redis per request ({@link QueryCaches#following}).
 */
final class InvalidationListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InvalidationListener.class);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final QueryCaches caches;
    private final KafkaClients kafka;
    private final Redis redis;
    private volatile AutoCloseable announcements;
    private final Duration gap;
    private final Timer lag;
    private final Timer toInvalidator;
    private final Map<Boolean, Timer> toInstance;
    private final Clock clock;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile KafkaConsumer<String, CacheInvalidated> consumer;
    private volatile boolean running;
    private volatile boolean assigned;
    private Thread thread;

    InvalidationListener(QueryCaches caches, KafkaClients kafka, Redis redis, Duration gap, MeterRegistry meters) {
        this.caches = caches;
        this.kafka = kafka;
        this.redis = redis;
        this.gap = gap;
        this.clock = Clock.systemUTC();
        this.lag = Timer.builder("docstream.cache.invalidation.lag")
                .description("From a change becoming indexed to this instance dropping its cached entries")
                .publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram()
                .register(meters);
        this.toInvalidator = hop(meters, "indexer-invalidator");
        this.toInstance = Map.of(true, hop(meters, "invalidator-instance-pubsub"), false,
                hop(meters, "invalidator-instance-topic"));
    }

    private static Timer hop(MeterRegistry meters, String hop) {
        return Timer.builder("docstream.cache.invalidation.hop")
                .description("The invalidation lag hop by hop: indexer (version written) to invalidator (caches evicted),"
                        + " and invalidator to this instance by the channel that brought the event first")
                .tag("hop", hop)
                .publishPercentiles(0.5, 0.99)
                .register(meters);
    }

    /** True once the consumer is positioned on every partition (tests wait for it before publishing). */
    boolean assigned() {
        return assigned;
    }

    @Override
    public void start() {
        running = true;
        var deserializer = Topics.INVALIDATIONS.valueSerde().deserializer();
        announcements = redis.subscribe(CacheKeys.INVALIDATIONS_CHANNEL, message -> {
            try {
                apply(deserializer.deserialize(Topics.INVALIDATIONS.name(), message), true);
            } catch (RuntimeException e) {
                log.warn("ignoring an invalidation announcement that does not decode: {}", e.toString());
            }
        }, RETRY);
        thread = Thread.ofPlatform().name("cache-invalidations").daemon(true).start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        caches.following(false);
        try {
            announcements.close();
        } catch (Exception e) {
            log.debug("closing the invalidation announcements failed: {}", e.toString());
        }
        KafkaConsumer<String, CacheInvalidated> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            stopped.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        Instant lastRead = null;
        try {
            while (running) {
                try (KafkaConsumer<String, CacheInvalidated> created = createConsumer()) {
                    consumer = created;
                    if (!running) {
                        return;
                    }
                    List<TopicPartition> partitions = partitions(created);
                    created.assign(partitions);
                    created.seekToEnd(partitions);
                    partitions.forEach(created::position);
                    // Started over from the end: whatever was published since the last read is skipped.
                    if (lastRead != null) {
                        caches.invalidateAll();
                        log.info("invalidation stream resumed after an interruption; dropped all of L1");
                    }
                    assigned = true;
                    caches.following(true);
                    lastRead = clock.instant();
                    while (running) {
                        var records = created.poll(POLL);
                        Instant now = clock.instant();
                        if (Duration.between(lastRead, now).compareTo(gap) > 0) {
                            caches.following(true);
                            caches.invalidateAll();
                            log.info("invalidation stream was not read for {}; dropped all of L1",
                                    Duration.between(lastRead, now));
                        }
                        lastRead = now;
                        for (ConsumerRecord<String, CacheInvalidated> record : records) {
                            apply(record.value(), false);
                        }
                    }
                } catch (WakeupException e) {
                    return;
                } catch (RuntimeException e) {
                    assigned = false;
                    caches.following(false);
                    if (lastRead == null) {
                        lastRead = clock.instant();
                    }
                    log.warn("reading the invalidation stream failed, retrying in {}: {}", RETRY, e.toString());
                    pause();
                } finally {
                    consumer = null;
                }
            }
        } finally {
            stopped.countDown();
        }
    }

    private void apply(CacheInvalidated event, boolean announced) {
        if (event == null || !caches.invalidated(event, announced)) {
            return;
        }
        Instant now = clock.instant();
        lag.record(nonNegative(Duration.between(event.causedAt(), now)));
        toInvalidator.record(nonNegative(Duration.between(event.causedAt(), event.invalidatedAt())));
        toInstance.get(announced).record(nonNegative(Duration.between(event.invalidatedAt(), now)));
    }

    private static Duration nonNegative(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, CacheInvalidated> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(Topics.INVALIDATIONS.name());
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + Topics.INVALIDATIONS.name() + " does not exist yet");
        }
        return infos.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
    }

    private KafkaConsumer<String, CacheInvalidated> createConsumer() {
        Map<String, Object> config = kafka.settings("query-api-invalidations-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaConsumer<>(config, new StringDeserializer(),
                Topics.INVALIDATIONS.valueSerde().deserializer());
    }

    private void pause() {
        long deadline = System.nanoTime() + RETRY.toNanos();
        while (running && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
