package io.docstream.indexer.indexing;

import io.docstream.indexer.storage.DocumentStore;
import io.docstream.indexer.storage.DocumentStore.StoredVersion;
import io.docstream.platform.kafka.KafkaClients;
import io.docstream.platform.tracing.TraceContext;
import io.docstream.schemas.events.DeleteDocument;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.topics.Topics;
import io.docstream.search.SearchIndex;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts back index writes that a crash lost after Kafka counted them as done. A replay lets the index defer its
 * commit, so after a {@code kill -9} the index's last commit can be behind the indexer group's committed offsets;
 * the records in between would never be read again. Before the indexer starts, this reads exactly those records
 * (from the positions the index's last commit recorded to the group's committed offsets, committed reads only)
 * and writes again the newest command of each document whose version PostgreSQL holds: PostgreSQL commits every
 * flush before Kafka does, so a command it does not hold at that version was not indexed (still pending in the
 * batch store, refused as poison, or superseded by a flush Kafka has not committed) and the stream itself takes
 * care of it. The writes go through the indexer's own batch path (chunks reused, vectors from the cache), are
 * idempotent and version-guarded, and commit with the group's offsets as the new positions. An index that records
 * no positions (durable on every write, or never written with positions) has nothing to recover.
 */
public final class IndexRecovery {

    private static final Logger log = LoggerFactory.getLogger(IndexRecovery.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final int WRITE_BATCH = 256;

    private final BatchIndexer indexer;
    private final SearchIndex index;
    private final DocumentStore documents;
    private final KafkaClients kafka;
    private final String groupId;
    private final Duration timeout;

    IndexRecovery(BatchIndexer indexer, SearchIndex index, DocumentStore documents, KafkaClients kafka,
            String groupId, Duration timeout) {
        this.indexer = Objects.requireNonNull(indexer, "indexer");
        this.index = Objects.requireNonNull(index, "index");
        this.documents = Objects.requireNonNull(documents, "documents");
        this.kafka = Objects.requireNonNull(kafka, "kafka");
        this.groupId = Objects.requireNonNull(groupId, "groupId");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** What a recovery found and did. */
    public record Result(long records, int rewritten, Map<String, Long> from, Map<String, Long> to) {

        static final Result NOTHING = new Result(0, 0, Map.of(), Map.of());
    }

    /** Reads the records the index lost and writes them again; returns what it did. */
    public Result recover() {
        Map<String, Long> durable = index.durablePositions();
        if (durable.isEmpty()) {
            return Result.NOTHING;
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            Map<TopicPartition, Long> from = new HashMap<>();
            Map<TopicPartition, Long> to = new HashMap<>();
            lostRanges(consumer, durable, from, to);
            if (from.isEmpty()) {
                return Result.NOTHING;
            }
            log.info("The search index's last commit is behind the indexer's committed offsets: reading {} again up "
                    + "to {}", from, to);
            NewestCommands newest = new NewestCommands();
            long records = read(consumer, from, to, newest);
            int rewritten = rewrite(newest.values(), positions(to));
            log.info("Recovered the search index: {} records read, {} documents written again", records, rewritten);
            return new Result(records, rewritten, positions(from), positions(to));
        }
    }

    /** Partitions whose committed offset is past the index's recorded position: read [position, committed). */
    private void lostRanges(KafkaConsumer<byte[], byte[]> consumer, Map<String, Long> durable,
            Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        Set<TopicPartition> partitions = new HashSet<>();
        for (PartitionInfo info : consumer.partitionsFor(Topics.DOCUMENTS.name(), timeout)) {
            partitions.add(new TopicPartition(info.topic(), info.partition()));
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions, timeout);
        for (TopicPartition partition : partitions) {
            Long position = durable.get(partition.toString());
            OffsetAndMetadata done = committed.get(partition);
            if (position != null && done != null && position < done.offset()) {
                from.put(partition, position);
                to.put(partition, done.offset());
            }
        }
    }

    private long read(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> from,
            Map<TopicPartition, Long> to, NewestCommands newest) {
        consumer.assign(from.keySet());
        from.forEach(consumer::seek);
        Set<TopicPartition> open = new HashSet<>(from.keySet());
        long records = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!open.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Recovering the search index: the records up to " + to
                        + " could not be read within " + timeout.toSeconds() + " s");
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (record.offset() >= to.get(partition)) {
                    continue;
                }
                records++;
                newest.add(record);
            }
            open.removeIf(partition -> consumer.position(partition, timeout) >= to.get(partition));
        }
        return records;
    }

    /** Writes again the commands PostgreSQL holds at their version, in batches; the last write commits. */
    private int rewrite(Collection<DocumentCommand> commands, Map<String, Long> positions) {
        List<DocumentCommand> all = List.copyOf(commands);
        int rewritten = 0;
        for (int start = 0; start < all.size(); start += WRITE_BATCH) {
            List<DocumentCommand> slice = all.subList(start, Math.min(all.size(), start + WRITE_BATCH));
            Map<DocumentKey, StoredVersion> stored = documents.storedVersions(
                    slice.stream().map(DocumentCommand::key).toList());
            List<PendingDocument> batch = slice.stream()
                    .filter(command -> indexed(command, stored.get(command.key())))
                    .map(command -> new PendingDocument(command.key(), command, null, TraceContext.NONE))
                    .toList();
            if (!batch.isEmpty()) {
                try (FlushSpans spans = FlushSpans.start(batch, indexer.modelId())) {
                    indexer.index(batch, Map.of(), false, spans);
                }
                rewritten += batch.size();
            }
        }
        // Records the new positions with a commit, also when nothing needed writing.
        index.write(List.of(), positions, false);
        index.commit();
        return rewritten;
    }

    private static boolean indexed(DocumentCommand command, StoredVersion stored) {
        return stored != null && stored.version() == command.version()
                && stored.deleted() == (command instanceof DeleteDocument);
    }

    private static Map<String, Long> positions(Map<TopicPartition, Long> offsets) {
        Map<String, Long> positions = new HashMap<>();
        offsets.forEach((partition, offset) -> positions.put(partition.toString(), offset));
        return positions;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> config = kafka.settings(groupId + "-index-recovery");
        // The group id only to read the indexer's committed offsets: this consumer is assigned partitions, never
        // joins the group and never commits.
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
