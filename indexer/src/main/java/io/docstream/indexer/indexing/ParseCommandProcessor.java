package io.docstream.indexer.indexing;

import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.serde.DocumentCommandSerde;
import io.docstream.schemas.serde.DocumentKeySerde;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Parses raw key and value bytes of the documents topic. Parsing happens here rather than in the
 * source's serdes so that a bad record becomes a {@link ParsedRecord.Poison} that can be routed to
 * the DLQ with its reason, instead of stopping the partition.
 */
final class ParseCommandProcessor extends ContextualProcessor<byte[], byte[], byte[], ParsedRecord> {

    private final Deserializer<DocumentKey> keys = new DocumentKeySerde().deserializer();
    private final DocumentCommandSerde commands = new DocumentCommandSerde();

    @Override
    public void process(Record<byte[], byte[]> record) {
        context().forward(record.withValue(parse(record)));
    }

    private ParsedRecord parse(Record<byte[], byte[]> record) {
        DocumentKey key;
        try {
            key = keys.deserialize(null, record.key());
        } catch (RuntimeException e) {
            return poison(record, Optional.empty(), "malformed key", e);
        }
        if (key == null) {
            return poison(record, Optional.empty(), "missing key", null);
        }
        if (record.value() == null) {
            return poison(record, Optional.of(key), "missing value", null);
        }
        DocumentCommand command;
        try {
            command = commands.fromBytes(record.value());
        } catch (RuntimeException e) {
            return poison(record, Optional.of(key), "malformed value", e);
        }
        if (!command.key().equals(key)) {
            return poison(record, Optional.of(key), "key does not match command " + command.key(), null);
        }
        if (command.version() < 0) {
            return poison(record, Optional.of(key), "negative version " + command.version(), null);
        }
        return new ParsedRecord.Command(key, command);
    }

    private ParsedRecord.Poison poison(Record<byte[], byte[]> record, Optional<DocumentKey> key, String reason,
            Exception cause) {
        String source = context().recordMetadata()
                .map(metadata -> metadata.topic() + "/" + metadata.partition() + "/" + metadata.offset())
                .orElse("unknown");
        return new ParsedRecord.Poison(record.key(), record.value(), key, reason, cause, source);
    }
}
