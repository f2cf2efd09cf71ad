package io.docstream.ingest.dlq;

import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.topics.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * One record of the dead-letter topic as the indexer wrote it: the original key and value bytes, the
 * original headers, and the indexer's reason, exception and source headers. Its tenant is the one its key
 * names; a key that does not parse leaves it attributed to no tenant.
 */
record DeadLetter(EntryId id, Instant time, byte[] key, byte[] value, List<Header> headers) {

    static final String DLQ_HEADER_PREFIX = "docstream.dlq.";

    DeadLetter {
        headers = List.copyOf(headers);
    }

    static DeadLetter of(EntryId id, long timestamp, byte[] key, byte[] value, Headers headers) {
        List<Header> copied = new ArrayList<>();
        headers.forEach(header -> copied.add(new RecordHeader(header.key(), header.value())));
        return new DeadLetter(id, Instant.ofEpochMilli(timestamp), key, value, copied);
    }

    Optional<DocumentKey> documentKey() {
        return utf8(key).flatMap(text -> {
            try {
                return Optional.of(DocumentKey.parse(text));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }

    Optional<String> tenant() {
        return documentKey().map(DocumentKey::tenant);
    }

    boolean belongsTo(String tenant) {
        return tenant().filter(tenant::equals).isPresent();
    }

    String reason() {
        return header(Topics.DLQ_REASON_HEADER).orElse("unknown");
    }

    Optional<String> exception() {
        return header(Topics.DLQ_EXCEPTION_HEADER);
    }

    Optional<String> source() {
        return header(Topics.DLQ_SOURCE_HEADER);
    }

    /** The headers a redrive carries back to the documents topic: all but the DLQ's own. */
    List<Header> originalHeaders() {
        return headers.stream().filter(header -> !header.key().startsWith(DLQ_HEADER_PREFIX)).toList();
    }

    private Optional<String> header(String name) {
        Header last = null;
        for (Header header : headers) {
            if (header.key().equals(name)) {
                last = header;
            }
        }
        return last == null ? Optional.empty() : utf8(last.value());
    }

    /** The bytes as text when they are valid UTF-8. */
    static Optional<String> utf8(byte[] bytes) {
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
