package io.docstream.indexer.indexing;

import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentIndexed;
import io.docstream.schemas.events.DocumentKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Collects accepted commands across documents so the model embeds in batches, and flushes when the
 * batch is full or its oldest command has waited the flush interval. The interval counts from the
 * batch's first command, not at a fixed rate: a flush as long as the interval would otherwise leave the
 * punctuator due after every record, and batches would never grow past one. The batch lives in a changelogged store: a crash before
 * the commit replays it, which is safe because every flush is idempotent. Keyed by document, two
 * versions of one document in a batch collapse to the newest.
 */
final class IndexBatchProcessor extends ContextualProcessor<DocumentKey, DocumentCommand, DocumentKey, DocumentIndexed> {

    private final BatchIndexer indexer;
    private final BatchSettings settings;
    private KeyValueStore<DocumentKey, DocumentState> states;
    private KeyValueStore<DocumentKey, DocumentCommand> pending;
    private int pendingCount;
    /** Wall-clock time the oldest pending command arrived; meaningless while nothing is pending. */
    private long batchStartedAt;

    IndexBatchProcessor(BatchIndexer indexer, BatchSettings settings) {
        this.indexer = Objects.requireNonNull(indexer, "indexer");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void init(ProcessorContext<DocumentKey, DocumentIndexed> context) {
        super.init(context);
        this.states = context.getStateStore(IndexerTopology.DOCUMENT_STATE_STORE);
        this.pending = context.getStateStore(IndexerTopology.PENDING_STORE);
        this.pendingCount = countPending();
        this.batchStartedAt = context.currentSystemTimeMs();
        context.schedule(checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::flushIfDue);
    }

    @Override
    public void process(Record<DocumentKey, DocumentCommand> record) {
        if (pendingCount == 0) {
            batchStartedAt = context().currentSystemTimeMs();
        }
        if (pending.get(record.key()) == null) {
            pendingCount++;
        }
        pending.put(record.key(), record.value());
        if (pendingCount >= settings.batchSize()) {
            flush();
        }
    }

    private Duration checkInterval() {
        return Duration.ofMillis(Math.max(1, settings.flushInterval().toMillis() / 4));
    }

    private void flushIfDue(long now) {
        if (pendingCount > 0 && now - batchStartedAt >= settings.flushInterval().toMillis()) {
            flush();
        }
    }

    private void flush() {
        List<PendingDocument> batch = pendingDocuments();
        if (batch.isEmpty()) {
            return;
        }
        for (IndexedDocumentResult result : indexer.index(batch)) {
            states.put(result.key(), result.state());
            context().forward(new Record<>(result.key(), result.event(), result.event().indexedAt().toEpochMilli()));
        }
        batch.forEach(document -> pending.delete(document.key()));
        pendingCount = 0;
    }

    private List<PendingDocument> pendingDocuments() {
        List<PendingDocument> batch = new ArrayList<>(pendingCount);
        try (KeyValueIterator<DocumentKey, DocumentCommand> entries = pending.all()) {
            while (entries.hasNext()) {
                KeyValue<DocumentKey, DocumentCommand> entry = entries.next();
                batch.add(new PendingDocument(entry.key, entry.value, states.get(entry.key)));
            }
        }
        return batch;
    }

    private int countPending() {
        int count = 0;
        try (KeyValueIterator<DocumentKey, DocumentCommand> entries = pending.all()) {
            while (entries.hasNext()) {
                entries.next();
                count++;
            }
        }
        return count;
    }
}
