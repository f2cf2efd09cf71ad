package io.docstream.indexer.reindex;

import io.docstream.indexer.indexing.NewestCommands;
import io.docstream.platform.kafka.KafkaClients;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader of one reindex: the compacted documents topic from the earliest offset in its own consumer
 * group ({@code docstream-reindex-<target>}, committed reads only), the newest command per document of each
 * poll written to the current set of {@link TargetWriter}s, offsets committed after the writes. It keeps
 * following the topic after catching up and reports its lag after every poll.
 */
final class ReindexRun implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ReindexRun.class);

    /** What the run tells its owner. */
    interface Listener {

        /** After every poll, with the records still to read ({@code -1} while unknown). */
        void polled(long lag);

        /** The run stopped on an error it cannot recover from. */
        void failed(Exception error);
    }

    private final String target;
    private final KafkaClients kafka;
    private final ReindexProperties properties;
    private final Listener listener;
    private final Clock clock;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong documents = new AtomicLong();
    private volatile List<TargetWriter> writers;
    private volatile Map<TopicPartition, Long> rewind;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    ReindexRun(String target, KafkaClients kafka, ReindexProperties properties, List<TargetWriter> writers,
            Listener listener, Clock clock) {
        this.target = target;
        this.kafka = kafka;
        this.properties = properties;
        this.writers = List.copyOf(writers);
        this.listener = listener;
        this.clock = clock;
    }

    static String groupId(String target) {
        return "docstream-reindex-" + target;
    }

    /** Writes go to these targets from the next batch on. */
    void writeTo(List<TargetWriter> next) {
        writers = List.copyOf(next);
    }

    /**
     * From the next poll on, reads again from {@code offsets} on every partition whose position is past them
     * (the beginning for a partition missing from the map), so those records reach the writers once more.
     */
    void rewindTo(Map<TopicPartition, Long> offsets) {
        rewind = Map.copyOf(offsets);
    }

    long records() {
        return records.get();
    }

    long documents() {
        return documents.get();
    }

    /** Stops reading and waits (bounded) for the batch in flight to end. */
    void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            stopped.await(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        try (KafkaConsumer<byte[], byte[]> created = createConsumer()) {
            consumer = created;
            if (!running) {
                return;
            }
            created.subscribe(List.of(Topics.DOCUMENTS.name()));
            while (running) {
                rewindIfAsked(created);
                ConsumerRecords<byte[], byte[]> polled = created.poll(properties.pollTimeout());
                // As of the fetch that gave these records: under a steady stream of writes the lag measured
                // after a slow batch write would never reach zero, though the next poll catches up at once.
                long lag = lag(created);
                if (!polled.isEmpty()) {
                    apply(polled);
                    created.commitSync(nextOffsets(polled));
                }
                listener.polled(lag);
            }
        }
        catch (WakeupException e) {
            if (running) {
                listener.failed(e);
            }
        }
        catch (RuntimeException e) {
            if (running) {
                log.error("Reindex into {} failed", target, e);
                listener.failed(e);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finally {
            consumer = null;
            stopped.countDown();
        }
    }

    private void rewindIfAsked(KafkaConsumer<byte[], byte[]> consumer) {
        Map<TopicPartition, Long> offsets = rewind;
        if (offsets == null) {
            return;
        }
        rewind = null;
        for (TopicPartition partition : consumer.assignment()) {
            long to = offsets.getOrDefault(partition, 0L);
            if (to < consumer.position(partition, Duration.ofSeconds(10))) {
                consumer.seek(partition, to);
            }
        }
        log.info("Reindex into {} reads again from {}", target, offsets);
    }

    private void apply(ConsumerRecords<byte[], byte[]> polled) throws InterruptedException {
        Collection<DocumentCommand> newest = newestPerDocument(polled);
        for (int attempt = 1; ; attempt++) {
            try {
                for (TargetWriter writer : writers) {
                    writer.write(newest);
                }
                break;
            }
            catch (IllegalStateException | IllegalArgumentException e) {
                // A refused model or a malformed write does not get better by trying again.
                throw e;
            }
            catch (RuntimeException e) {
                if (attempt >= properties.retries() || !running) {
                    throw e;
                }
                log.warn("Reindex into {}: writing a batch failed (attempt {} of {}), retrying in {}: {}", target,
                        attempt, properties.retries(), properties.retryBackoff(), e.toString());
                Thread.sleep(properties.retryBackoff().toMillis());
            }
        }
        records.addAndGet(polled.count());
        documents.addAndGet(newest.size());
    }

    /** The newest command of each document in the poll; unreadable records are left to the indexer's DLQ. */
    private Collection<DocumentCommand> newestPerDocument(ConsumerRecords<byte[], byte[]> polled) {
        NewestCommands newest = new NewestCommands();
        for (ConsumerRecord<byte[], byte[]> record : polled) {
            if (!newest.add(record)) {
                log.debug("Reindex into {} skips the unreadable record {}-{}@{}", target, record.topic(),
                        record.partition(), record.offset());
            }
        }
        return newest.values();
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> polled) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : polled.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> partitionRecords = polled.records(partition);
            offsets.put(partition, new OffsetAndMetadata(partitionRecords.getLast().offset() + 1));
        }
        return offsets;
    }

    /**
     * Records between the reader's positions and the ends of its partitions as its last fetches saw them (the
     * broker is asked for partitions not fetched yet); -1 before it has any partition.
     */
    private static long lag(KafkaConsumer<byte[], byte[]> consumer) {
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return -1;
        }
        long lag = 0;
        Set<TopicPartition> unknown = new HashSet<>();
        for (TopicPartition partition : assigned) {
            OptionalLong fetched = consumer.currentLag(partition);
            if (fetched.isPresent()) {
                lag += Math.max(0, fetched.getAsLong());
            }
            else {
                unknown.add(partition);
            }
        }
        if (!unknown.isEmpty()) {
            Map<TopicPartition, Long> ends = consumer.endOffsets(unknown, Duration.ofSeconds(10));
            for (TopicPartition partition : unknown) {
                lag += Math.max(0, ends.getOrDefault(partition, 0L)
                        - consumer.position(partition, Duration.ofSeconds(10)));
            }
        }
        return lag;
    }

    private KafkaConsumer<byte[], byte[]> createConsumer() {
        Map<String, Object> config = kafka.settings(groupId(target) + "-" + clock.millis());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId(target));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.maxPollRecords());
        // Embedding a batch with a new model is the slow part; leave it a wide margin.
        config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 600_000);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
