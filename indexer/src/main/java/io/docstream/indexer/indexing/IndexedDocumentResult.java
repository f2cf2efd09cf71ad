package io.docstream.indexer.indexing;

import io.docstream.schemas.events.DocumentIndexed;
import io.docstream.schemas.events.DocumentKey;

/** One applied command: the state to remember for its document and the event to announce it. */
record IndexedDocumentResult(DocumentKey key, DocumentState state, DocumentIndexed event) {
}
