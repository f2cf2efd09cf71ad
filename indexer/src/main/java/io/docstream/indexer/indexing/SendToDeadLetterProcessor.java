package io.docstream.indexer.indexing;

import io.docstream.indexer.storage.DocumentStore;
import io.docstream.schemas.topics.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns poison back into its original bytes with the reason in headers, for the DLQ, and marks the
 * document's indexing status as failed when its key is known, so a producer polling the status
 * learns why the document never became searchable.
 */
final class SendToDeadLetterProcessor extends ContextualProcessor<byte[], ParsedRecord, byte[], byte[]> {

    private static final Logger log = LoggerFactory.getLogger(SendToDeadLetterProcessor.class);

    private final DocumentStore documents;
    private final Counter deadLettered;

    SendToDeadLetterProcessor(DocumentStore documents, MeterRegistry meters) {
        this.documents = Objects.requireNonNull(documents, "documents");
        this.deadLettered = Counter.builder("docstream.indexer.dlq.records")
                .description("Records of the documents topic sent to the DLQ")
                .register(meters);
    }

    @Override
    public void process(Record<byte[], ParsedRecord> record) {
        ParsedRecord.Poison poison = (ParsedRecord.Poison) record.value();
        String error = describe(poison);
        log.warn("Sending record {} to the DLQ: {}", poison.source(), error);
        poison.key().ifPresent(key -> documents.markFailed(key, error));
        deadLettered.increment();
        context().forward(new Record<>(poison.rawKey(), poison.rawValue(), record.timestamp(), headers(record, poison)));
    }

    private static Headers headers(Record<byte[], ParsedRecord> record, ParsedRecord.Poison poison) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.remove(Topics.DLQ_REASON_HEADER);
        headers.remove(Topics.DLQ_EXCEPTION_HEADER);
        headers.remove(Topics.DLQ_SOURCE_HEADER);
        headers.add(Topics.DLQ_REASON_HEADER, utf8(poison.reason()));
        if (poison.cause() != null) {
            headers.add(Topics.DLQ_EXCEPTION_HEADER,
                    utf8(poison.cause().getClass().getName() + ": " + poison.cause().getMessage()));
        }
        headers.add(Topics.DLQ_SOURCE_HEADER, utf8(poison.source()));
        return headers;
    }

    private static String describe(ParsedRecord.Poison poison) {
        return poison.cause() == null ? poison.reason() : poison.reason() + ": " + poison.cause().getMessage();
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
