package io.docstream.indexer.indexing;

import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.topics.Topics;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The newest command per document among records read from the documents topic, for readers beside the indexer's
 * stream (a reindex, the recovery after a crash). Unreadable records are skipped: the indexer's own read sent them
 * to the DLQ.
 */
public final class NewestCommands {

    private final Map<DocumentKey, DocumentCommand> newest = new LinkedHashMap<>();

    /** Takes the record's command if it is newer than the one held for its document; returns whether it was readable. */
    public boolean add(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return false;
        }
        DocumentCommand command;
        try {
            command = Topics.DOCUMENTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
        }
        catch (RuntimeException e) {
            return false;
        }
        newest.merge(command.key(), command, (held, next) -> next.version() >= held.version() ? next : held);
        return true;
    }

    public Collection<DocumentCommand> values() {
        return newest.values();
    }
}
