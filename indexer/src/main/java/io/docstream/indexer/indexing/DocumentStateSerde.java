package io.docstream.indexer.indexing;

import io.docstream.schemas.serde.JsonSerde;

/** JSON for the document-state store, from the same mapper as the events. */
final class DocumentStateSerde extends JsonSerde<DocumentState> {

    DocumentStateSerde() {
        super(DocumentState.class);
    }
}
