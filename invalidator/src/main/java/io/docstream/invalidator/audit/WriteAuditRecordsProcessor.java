package io.docstream.invalidator.audit;

import io.docstream.schemas.events.DocumentIndexed;
import io.docstream.schemas.events.DocumentKey;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;

/** Audits every indexed document version; the trace id comes from the W3C {@code traceparent} header. */
final class WriteAuditRecordsProcessor extends ContextualProcessor<DocumentKey, DocumentIndexed, Void, Void> {

    private static final String TRACEPARENT = "traceparent";

    private final AuditLog auditLog;

    WriteAuditRecordsProcessor(AuditLog auditLog) {
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    }

    @Override
    public void process(Record<DocumentKey, DocumentIndexed> record) {
        auditLog.recordIndexed(record.value(), traceId(record));
    }

    /** {@code version-traceid-spanid-flags}; anything else is not a trace context we can use. */
    private static String traceId(Record<?, ?> record) {
        Header header = record.headers().lastHeader(TRACEPARENT);
        if (header == null || header.value() == null) {
            return null;
        }
        String[] parts = new String(header.value(), StandardCharsets.US_ASCII).split("-");
        return parts.length == 4 && parts[1].length() == 32 ? parts[1] : null;
    }
}
