package io.docstream.indexer.indexing;

import io.docstream.platform.tracing.KafkaTraceHeaders;
import io.docstream.platform.tracing.TraceContext;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.serde.DocumentCommandSerde;
import io.docstream.schemas.serde.DocumentKeySerde;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import io.docstream.schemas.events.UpsertDocument;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects accepted commands across documents so the model embeds in batches, and flushes when the
 * batch is full or its oldest command has waited the flush interval. The interval counts from the
 * batch's first command, not at a fixed rate: a flush as long as the interval would otherwise leave the
 * punctuator due after every record, and batches would never grow past one. The batch lives in a
 * changelogged store: a crash before the commit replays it, which is safe because every flush is
 * idempotent. Keyed by document, two versions of one document in a batch collapse to the newest. While a
 * replay runs, batches are sized by the replay settings instead (documents, bytes of text, waiting time), and each
 * flush tells the index the source positions it covers, so the index may defer its commit (see
 * {@link BatchIndexer}).
 *
 * <p>When the settings embed ahead (live, not while replaying), each upsert is handed to the model as it arrives
 * ({@link BatchIndexer#accepted}) and up to {@code embedAhead} documents more than a batch may wait: a flush takes
 * the {@code batchSize} oldest pending documents (lowest offsets: a task reads one partition, so the positions a
 * flush reports still cover every record before them), and the model embeds the younger ones meanwhile. A batch
 * whose documents are all ready is flushed at the next check instead of waiting out the interval, when no command
 * arrived during the check interval before (commands trickling in, not a backlog).
 *
 * <p>When a batch fails because of some command's own data, its documents are retried one by one, so the
 * poison cannot hold the others back; a document that still fails after the policy's attempts is handed
 * on as dead-lettered and the partition moves on. Any other failure (an unavailable dependency) leaves
 * the stream thread, which Kafka Streams replaces after a pause to retry from the last commit: nothing is
 * dropped and nothing goes to the DLQ for an outage.
 *
 * <p>Each command keeps the trace context it arrived in (the agent's span of the record, else the record's
 * {@code traceparent} header); the flush continues every document's trace from there (see
 * {@link FlushSpans}) and writes that context into the headers of what it forwards, since a punctuator
 * runs outside any record's context.
 */
final class IndexBatchProcessor extends ContextualProcessor<DocumentKey, DocumentCommand, DocumentKey, BatchOutcome> {

    private static final Logger log = LoggerFactory.getLogger(IndexBatchProcessor.class);
    private static final DocumentKeySerde KEYS = new DocumentKeySerde();
    private static final DocumentCommandSerde COMMANDS = new DocumentCommandSerde();

    private final BatchIndexer indexer;
    private final BatchSettings settings;
    private final PoisonPolicy poisonPolicy;
    private final Counter poisonRetries;
    private KeyValueStore<DocumentKey, DocumentState> states;
    private KeyValueStore<DocumentKey, PendingCommand> pending;
    private KeyValueStore<DocumentKey, String> sources;
    private ReplayScope replay;
    private int pendingCount;
    /** Bytes of text pending, counted as commands arrive (an overwritten command's text stays counted). */
    private long pendingBytes;
    /** Wall-clock time the oldest pending command arrived; meaningless while nothing is pending. */
    private long batchStartedAt;
    /** Wall-clock time the last command arrived. */
    private long lastArrivalAt;

    IndexBatchProcessor(BatchIndexer indexer, BatchSettings settings, PoisonPolicy poisonPolicy, MeterRegistry meters) {
        this.indexer = Objects.requireNonNull(indexer, "indexer");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.poisonPolicy = Objects.requireNonNull(poisonPolicy, "poisonPolicy");
        this.poisonRetries = Counter.builder("docstream.indexer.poison.retries")
                .description("Attempts to index a document alone after it failed because of its own data")
                .register(Objects.requireNonNull(meters, "meters"));
    }

    @Override
    public void init(ProcessorContext<DocumentKey, BatchOutcome> context) {
        super.init(context);
        this.states = context.getStateStore(IndexerTopology.DOCUMENT_STATE_STORE);
        this.pending = context.getStateStore(IndexerTopology.PENDING_STORE);
        this.sources = context.getStateStore(IndexerTopology.PENDING_SOURCE_STORE);
        this.replay = ReplayScope.from(context.appConfigs());
        this.pendingCount = countPending();
        this.batchStartedAt = context.currentSystemTimeMs();
        context.schedule(checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::flushIfDue);
    }

    @Override
    public void process(Record<DocumentKey, DocumentCommand> record) {
        lastArrivalAt = context().currentSystemTimeMs();
        if (pendingCount == 0) {
            batchStartedAt = lastArrivalAt;
        }
        if (pending.get(record.key()) == null) {
            pendingCount++;
        }
        pending.put(record.key(), new PendingCommand(record.value(), arrivedIn(record)));
        sources.put(record.key(), source());
        if (record.value() instanceof UpsertDocument upsert) {
            pendingBytes += upsert.title().length() + upsert.body().length();
        }
        if (replay.active()) {
            if (pendingCount >= settings.replay().batchSize() || pendingBytes >= settings.replay().batchBytes()) {
                flush(Integer.MAX_VALUE);
            }
            return;
        }
        if (settings.embedsAhead()) {
            indexer.accepted(record.key(), record.value(), states.get(record.key()));
        }
        if (pendingCount >= settings.batchSize() + settings.embedAhead()) {
            flush(settings.batchSize());
        }
    }

    /** The context the agent made current for this record, or else the one its producer put in its headers. */
    private static TraceContext arrivedIn(Record<DocumentKey, DocumentCommand> record) {
        TraceContext current = TraceContext.current();
        return current.isPresent() ? current : KafkaTraceHeaders.read(record.headers());
    }

    /**
     * For each source partition of the batch, the position after its last record: every record before it in that
     * partition is in this batch, was in an earlier one, or was dropped as stale.
     */
    private Map<String, Long> positions(List<PendingDocument> batch) {
        Map<String, Long> positions = new HashMap<>();
        for (PendingDocument document : batch) {
            String source = sources.get(document.key());
            int offsetAt = source == null ? -1 : source.lastIndexOf('/');
            int partitionAt = offsetAt < 0 ? -1 : source.lastIndexOf('/', offsetAt - 1);
            if (partitionAt < 0) {
                continue;
            }
            String partition = source.substring(0, partitionAt) + "-" + source.substring(partitionAt + 1, offsetAt);
            positions.merge(partition, offsetOf(source) + 1, Math::max);
        }
        return positions;
    }

    private String source() {
        return context().recordMetadata()
                .map(metadata -> metadata.topic() + "/" + metadata.partition() + "/" + metadata.offset())
                .orElse("unknown");
    }

    private Duration checkInterval() {
        return Duration.ofMillis(Math.max(1, settings.flushInterval().toMillis() / 4));
    }

    private void flushIfDue(long now) {
        if (pendingCount > 0) {
            if (replay.active()) {
                if (now - batchStartedAt >= settings.replay().flushInterval().toMillis()) {
                    flush(Integer.MAX_VALUE);
                }
            } else if (now - batchStartedAt >= settings.flushInterval().toMillis()) {
                flush(settings.batchSize());
            } else if (settings.embedsAhead() && now - lastArrivalAt >= checkInterval().toMillis()) {
                // Only while commands trickle in: under a backlog a flush of whatever is ready would be a few
                // documents each, paying a commit per few; there the size and the interval make the batches.
                flushIfReady();
            }
        }
        indexer.commitIfDue();
    }

    /** Flushes the oldest batch when every document of it is ready: waiting longer gains nothing. */
    private void flushIfReady() {
        List<PendingDocument> batch = pendingDocuments(settings.batchSize());
        if (batch.stream().allMatch(indexer::ready)) {
            flush(batch);
        }
    }

    /** Flushes the {@code limit} oldest pending documents. */
    private void flush(int limit) {
        flush(pendingDocuments(limit));
    }

    private void flush(List<PendingDocument> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            index(batch);
        } catch (RuntimeException e) {
            if (CommandFailures.poison(e).isEmpty()) {
                throw e;
            }
            log.warn("A batch of {} documents failed because of a document's data; retrying them one by one",
                    batch.size(), e);
            batch.forEach(document -> indexAlone(document, batch.size() == 1 ? 1 : 0));
        }
        batch.forEach(document -> {
            pending.delete(document.key());
            sources.delete(document.key());
        });
        // What the flush forwarded reaches the invalidator when the transaction commits: ask for it now rather than
        // after whatever the thread does next (another flush waiting on the model).
        context().commit();
        pendingCount = Math.max(0, pendingCount - batch.size());
        if (pendingCount == 0) {
            pendingBytes = 0;
        } else {
            // The rest waits from now: when its documents arrived is not kept, and size still bounds the batch.
            pendingBytes = Math.max(0, pendingBytes - batch.stream().mapToLong(IndexBatchProcessor::textLength).sum());
            batchStartedAt = context().currentSystemTimeMs();
        }
    }

    private static long textLength(PendingDocument document) {
        return document.command() instanceof UpsertDocument upsert
                ? upsert.title().length() + upsert.body().length()
                : 0;
    }

    private void index(List<PendingDocument> batch) {
        Map<String, Long> positions = positions(batch);
        boolean replaying = replay.active();
        try (FlushSpans spans = FlushSpans.start(batch, indexer.modelId())) {
            try {
                indexer.index(batch, positions, replaying, spans).forEach(result -> spans.inDocumentSpan(result.key(),
                        () -> applied(result, spans.context(result.key()))));
            } catch (RuntimeException e) {
                spans.failed(e);
                throw e;
            }
        }
    }

    /** Up to the policy's attempts for one document; an unavailable dependency on the way leaves the thread. */
    private void indexAlone(PendingDocument document, int attemptsMade) {
        for (int attempt = attemptsMade + 1; ; attempt++) {
            try {
                index(List.of(document));
                return;
            } catch (RuntimeException e) {
                CommandFailures.Poison poison = CommandFailures.poison(e).orElseThrow(() -> e);
                if (attempt >= poisonPolicy.maxAttempts()) {
                    deadLetter(document, poison);
                    return;
                }
                poisonRetries.increment();
                pause(poisonPolicy.pauseAfter(Math.max(1, attempt)));
            }
        }
    }

    private void applied(IndexedDocumentResult result, TraceContext trace) {
        states.put(result.key(), result.state());
        context().forward(new Record<>(result.key(), new BatchOutcome.Indexed(result.event()),
                result.event().indexedAt().toEpochMilli(), KafkaTraceHeaders.write(new RecordHeaders(), trace)));
    }

    private void deadLetter(PendingDocument document, CommandFailures.Poison poison) {
        String source = Objects.requireNonNullElse(sources.get(document.key()), "unknown");
        log.warn("Giving up on {}@{} after {} attempts: {}", document.key(), document.command().version(),
                poisonPolicy.maxAttempts(), poison.reason(), poison.cause());
        ParsedRecord.Poison dead = new ParsedRecord.Poison(KEYS.serializer().serialize(null, document.key()),
                COMMANDS.toBytes(document.command()), Optional.of(document.key()), poison.reason(), poison.cause(),
                source);
        try (Scope ignored = document.trace().asContext().makeCurrent()) {
            context().forward(new Record<>(document.key(), new BatchOutcome.DeadLettered(dead),
                    context().currentSystemTimeMs(), KafkaTraceHeaders.write(new RecordHeaders(), document.trace())));
        }
    }

    private static void pause(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a failed document", e);
        }
    }

    /** The {@code limit} pending documents read first (all of them when they are no more). */
    private List<PendingDocument> pendingDocuments(int limit) {
        List<PendingDocument> batch = new ArrayList<>(pendingCount);
        try (KeyValueIterator<DocumentKey, PendingCommand> entries = pending.all()) {
            while (entries.hasNext()) {
                KeyValue<DocumentKey, PendingCommand> entry = entries.next();
                batch.add(new PendingDocument(entry.key, entry.value.command(), states.get(entry.key),
                        entry.value.trace()));
            }
        }
        if (batch.size() <= limit) {
            return batch;
        }
        Map<DocumentKey, Long> offsets = new HashMap<>();
        batch.forEach(document -> offsets.put(document.key(), offsetOf(sources.get(document.key()))));
        batch.sort(Comparator.comparingLong(document -> offsets.get(document.key())));
        return new ArrayList<>(batch.subList(0, limit));
    }

    /** The offset in a "topic/partition/offset" source, -1 when unknown. */
    private static long offsetOf(String source) {
        int at = source == null ? -1 : source.lastIndexOf('/');
        try {
            return at < 0 ? -1 : Long.parseLong(source.substring(at + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private int countPending() {
        int count = 0;
        try (KeyValueIterator<DocumentKey, PendingCommand> entries = pending.all()) {
            while (entries.hasNext()) {
                entries.next();
                count++;
            }
        }
        return count;
    }
}
