package io.docstream.indexer.indexing;

import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentKey;

/** A command waiting in the batch, with what the indexer last applied for its document (if anything). */
record PendingDocument(DocumentKey key, DocumentCommand command, DocumentState previous) {
}
