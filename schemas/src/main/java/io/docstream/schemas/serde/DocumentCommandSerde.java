package io.docstream.schemas.serde;

import io.docstream.schemas.events.DocumentCommand;

public final class DocumentCommandSerde extends JsonSerde<DocumentCommand> {

    public DocumentCommandSerde() {
        super(DocumentCommand.class);
    }
}
