package io.docstream.indexer.indexing;

import io.docstream.platform.tracing.TraceContext;
import io.docstream.schemas.events.DocumentCommand;
import java.util.Objects;

/**
 * A command waiting in the batch store, with the trace context it arrived in: the flush runs later and
 * outside that context, and continues the document's trace from here (also after a restart).
 */
record PendingCommand(DocumentCommand command, TraceContext trace) {

    PendingCommand {
        Objects.requireNonNull(command, "command");
        trace = Objects.requireNonNullElse(trace, TraceContext.NONE);
    }
}
