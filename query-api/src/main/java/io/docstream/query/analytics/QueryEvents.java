package io.docstream.query.analytics;

import io.docstream.platform.kafka.KafkaClients;
import io.docstream.schemas.events.QueryExecuted;
import io.docstream.schemas.topics.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes query events without ever holding up a search: a search only offers its event to a bounded buffer
 * (dropping it, counted, when the buffer is full), and one sender thread hands the buffer to an asynchronous
 * Kafka producer. Analytics can lose an event under overload or while Kafka is away; a search never waits for
 * either. Every loss is counted in {@code docstream_query_events_total{outcome="dropped"}}.
 */
public final class QueryEvents implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QueryEvents.class);
    /** How long the sender sleeps when the buffer is empty; the producer's linger is longer anyway. */
    private static final Duration POLL = Duration.ofMillis(5);

    private final Queue<QueryExecuted> buffer = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final int capacity;
    private final Producer<String, QueryExecuted> producer;
    private final Counter published;
    private final Counter bufferFull;
    private final Counter sendFailed;
    private final Thread sender;
    private volatile boolean running = true;

    QueryEvents(KafkaClients kafka, int capacity, MeterRegistry meters) {
        this(new KafkaProducer<>(producerSettings(kafka), Topics.QUERIES.keySerde().serializer(),
                Topics.QUERIES.valueSerde().serializer()), capacity, meters);
    }

    QueryEvents(Producer<String, QueryExecuted> producer, int capacity, MeterRegistry meters) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.capacity = capacity;
        this.published = counter(meters, "published", "none");
        this.bufferFull = counter(meters, "dropped", "buffer-full");
        this.sendFailed = counter(meters, "dropped", "send-failed");
        this.sender = Thread.ofPlatform().name("query-events").daemon(true).start(this::send);
    }

    /**
     * Settings for throughput, not durability: one acknowledgement, small batches, and a short wait for the topic's
     * metadata, so a missing broker fails a send quickly instead of stalling the sender.
     */
    private static Map<String, Object> producerSettings(KafkaClients kafka) {
        Map<String, Object> settings = kafka.settings("docstream-query-events");
        settings.put(ProducerConfig.ACKS_CONFIG, "1");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return settings;
    }

    /**
     * Offers the event for publishing; returns at once, dropping it when the buffer is full. Lock-free: searches on
     * many threads never wait for each other or for the sender here.
     */
    public void publish(QueryExecuted event) {
        if (!running || waiting.incrementAndGet() > capacity) {
            if (running) {
                waiting.decrementAndGet();
            }
            bufferFull.increment();
            return;
        }
        buffer.add(event);
    }

    /** Events waiting for the sender, for tests and metrics. */
    int waiting() {
        return waiting.get();
    }

    private void send() {
        while (running || !buffer.isEmpty()) {
            QueryExecuted event = buffer.poll();
            if (event == null) {
                LockSupport.parkNanos(POLL.toNanos());
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                continue;
            }
            waiting.decrementAndGet();
            sendOne(event);
        }
    }

    private void sendOne(QueryExecuted event) {
        try {
            producer.send(new ProducerRecord<>(Topics.QUERIES.name(), event.tenant(), event), (metadata, failure) -> {
                if (failure == null) {
                    published.increment();
                } else {
                    sendFailed.increment();
                    log.debug("a query event was not published: {}", failure.toString());
                }
            });
        } catch (RuntimeException e) {
            sendFailed.increment();
            log.debug("a query event was not published: {}", e.toString());
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            sender.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }

    private static Counter counter(MeterRegistry meters, String outcome, String reason) {
        return Counter.builder("docstream.query.events").tag("outcome", outcome).tag("reason", reason)
                .description("Query events by outcome: published to docstream.queries.v1, or dropped and why")
                .register(meters);
    }
}
