package io.docstream.indexer.indexing;

import io.docstream.schemas.events.DocumentIndexed;

/** What a flush made of one pending command: an applied version, or poison for the DLQ. */
sealed interface BatchOutcome {

    record Indexed(DocumentIndexed event) implements BatchOutcome {
    }

    record DeadLettered(ParsedRecord.Poison poison) implements BatchOutcome {
    }
}
