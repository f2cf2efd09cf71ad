package io.docstream.schemas.serde;

import io.docstream.schemas.events.DocumentIndexed;

public final class DocumentIndexedSerde extends JsonSerde<DocumentIndexed> {

    public DocumentIndexedSerde() {
        super(DocumentIndexed.class);
    }
}
