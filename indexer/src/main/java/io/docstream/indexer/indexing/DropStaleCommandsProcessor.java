package io.docstream.indexer.indexing;

import io.docstream.schemas.events.DeleteDocument;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The version guard: a command older than what the indexer applied (or already holds pending) for
 * its document is dropped and counted; an equal version passes, so a replay re-applies idempotently.
 * An upsert never revives a document deleted at the same version. While a replay is scoped to one
 * tenant, the {@link ReplayScope} skips re-applications of other tenants.
 */
final class DropStaleCommandsProcessor extends ContextualProcessor<byte[], ParsedRecord, DocumentKey, DocumentCommand> {

    private static final Logger log = LoggerFactory.getLogger(DropStaleCommandsProcessor.class);

    private final MeterRegistry meters;
    private KeyValueStore<DocumentKey, DocumentState> states;
    private KeyValueStore<DocumentKey, PendingCommand> pending;
    private ReplayScope replay;

    DropStaleCommandsProcessor(MeterRegistry meters) {
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    @Override
    public void init(ProcessorContext<DocumentKey, DocumentCommand> context) {
        super.init(context);
        this.states = context.getStateStore(IndexerTopology.DOCUMENT_STATE_STORE);
        this.pending = context.getStateStore(IndexerTopology.PENDING_STORE);
        this.replay = ReplayScope.from(context.appConfigs());
    }

    @Override
    public void process(Record<byte[], ParsedRecord> record) {
        ParsedRecord.Command parsed = (ParsedRecord.Command) record.value();
        DocumentCommand command = parsed.command();
        DocumentState applied = states.get(parsed.key());
        PendingCommand held = pending.get(parsed.key());
        if (isStale(command, held == null ? null : held.command()) || isStale(command, applied)) {
            log.debug("Dropping stale command {}@{}", parsed.key(), command.version());
            staleDropped(command.tenant()).increment();
            return;
        }
        if (applied != null && applied.version() == command.version() && !replay.reapplies(command.tenant())) {
            return;
        }
        context().forward(new Record<>(parsed.key(), command, record.timestamp(), record.headers()));
    }

    private static boolean isStale(DocumentCommand command, DocumentCommand held) {
        return held != null && isStale(command, held.version(), held instanceof DeleteDocument);
    }

    private static boolean isStale(DocumentCommand command, DocumentState held) {
        return held != null && isStale(command, held.version(), held.deleted());
    }

    private static boolean isStale(DocumentCommand command, long heldVersion, boolean heldDeleted) {
        if (command.version() != heldVersion) {
            return command.version() < heldVersion;
        }
        return heldDeleted && !(command instanceof DeleteDocument);
    }

    private Counter staleDropped(String tenant) {
        return Counter.builder("docstream.indexer.stale.dropped")
                .description("Commands dropped because the indexer already applied a newer version")
                .tag("tenant", tenant)
                .register(meters);
    }
}
