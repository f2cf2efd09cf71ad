package io.docstream.indexer.indexing;

import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentKey;
import java.util.Optional;

/** What the parse step made of one raw record: a command to index, or poison for the DLQ. */
sealed interface ParsedRecord {

    record Command(DocumentKey key, DocumentCommand command) implements ParsedRecord {
    }

    /**
     * A record that can never be indexed. Keeps the original bytes for the DLQ; {@code key} is
     * present when the key parsed, so the document's status can say it failed.
     */
    record Poison(byte[] rawKey, byte[] rawValue, Optional<DocumentKey> key, String reason, Exception cause,
            String source) implements ParsedRecord {
    }
}
