package io.docstream.indexer.indexing;

import io.docstream.platform.tracing.TraceContext;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentKey;

/**
 * A command waiting in the batch, with what the indexer last applied for its document (if anything) and
 * the trace context the command arrived in.
 */
record PendingDocument(DocumentKey key, DocumentCommand command, DocumentState previous, TraceContext trace) {
}
