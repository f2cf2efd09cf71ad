package io.docstream.schemas.serde;

import io.docstream.schemas.events.DocumentKey;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** {@code tenant/documentId} as UTF-8, so the key is readable in any Kafka tool. */
public final class DocumentKeySerde implements Serde<DocumentKey> {

    @Override
    public Serializer<DocumentKey> serializer() {
        return (topic, key) -> key == null ? null : key.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Deserializer<DocumentKey> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return DocumentKey.parse(new String(bytes, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new SerializationException(e.getMessage(), e);
            }
        };
    }
}
