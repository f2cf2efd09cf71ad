package io.docstream.invalidator.invalidation;

import io.docstream.cache.CacheKeys;
import io.docstream.cache.TenantChanges;
import io.docstream.platform.logging.LoggingContext;
import io.docstream.platform.tracing.KafkaTraceHeaders;
import io.docstream.platform.tracing.TraceContext;
import io.docstream.platform.tracing.Traces;
import io.docstream.schemas.events.CacheInvalidated;
import io.docstream.schemas.events.DocumentIndexed;
import io.docstream.schemas.events.DocumentKey;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.jooq.DSLContext;
import org.slf4j.MDC;

/**
 * For each indexed (or deleted) document version, in this order: evict it from Redis, move the tenant's
 * search generation and record the change in the tenant's change history; announce the invalidation on Redis
 * pub/sub (query APIs apply it within milliseconds); then mark it searchable in PostgreSQL (with the generation,
 * for consistency tokens); then forward, keyed by tenant, the invalidation
 * that tells every query-api instance to drop its L1 copies and the version's audit event, both written in
 * the Streams transaction. Marking searchable only after the eviction is what makes the status endpoint's
 * "indexed" a read-your-writes promise. When Redis is down the eviction throws: the stream thread fails, is
 * replaced after a pause and retries from the last commit, and nothing is marked searchable or audited
 * meanwhile. All of it runs in an {@code invalidate} span of the document's trace, and the records it
 * forwards carry that span's context.
 */
final class InvalidateCachesProcessor
        extends ContextualProcessor<DocumentKey, DocumentIndexed, String, Invalidated> {

    private static final String TRACEPARENT = "traceparent";
    private static final AttributeKey<String> TENANT = AttributeKey.stringKey("docstream.tenant");
    private static final AttributeKey<String> DOCUMENT_ID = AttributeKey.stringKey("docstream.document_id");
    private static final AttributeKey<Long> VERSION = AttributeKey.longKey("docstream.version");
    private static final AttributeKey<Long> KEYS_EVICTED = AttributeKey.longKey("docstream.keys_evicted");
    private static final AttributeKey<Long> GENERATION = AttributeKey.longKey("docstream.generation");

    private final DSLContext dsl;
    private final CacheEviction eviction;
    private final SearchableVersions searchable;
    private final Freshness freshness;
    private final Clock clock;

    InvalidateCachesProcessor(DSLContext dsl, CacheEviction eviction, SearchableVersions searchable,
            Freshness freshness, Clock clock) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
        this.eviction = Objects.requireNonNull(eviction, "eviction");
        this.searchable = Objects.requireNonNull(searchable, "searchable");
        this.freshness = Objects.requireNonNull(freshness, "freshness");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void process(Record<DocumentKey, DocumentIndexed> record) {
        DocumentIndexed event = record.value();
        MDC.put(LoggingContext.TENANT, event.tenant());
        MDC.put(LoggingContext.DOCUMENT_ID, event.documentId());
        Span span = Traces.span("invalidate")
                .setParent(parent(record))
                .setAttribute(TENANT, event.tenant())
                .setAttribute(DOCUMENT_ID, event.documentId())
                .setAttribute(VERSION, event.version())
                .startSpan();
        try {
            Traces.inSpan(span, () -> {
                invalidate(record, event, span);
                return null;
            });
        } finally {
            MDC.remove(LoggingContext.TENANT);
            MDC.remove(LoggingContext.DOCUMENT_ID);
        }
    }

    /**
     * The agent's span of this record when the agent runs, else the context its producer wrote in its
     * headers, so the invalidation is part of the document's trace either way.
     */
    private static Context parent(Record<?, ?> record) {
        Context current = Context.current();
        return Span.fromContext(current).getSpanContext().isValid()
                ? current
                : KafkaTraceHeaders.read(record.headers()).asContext();
    }

    private void invalidate(Record<DocumentKey, DocumentIndexed> record, DocumentIndexed event, Span span) {
        Instant now = clock.instant();
        List<String> evicted = List.of(CacheKeys.document(event.tenant(), event.documentId()));
        TenantChanges.Change change = eviction.evict(event.tenant(), event.documentId(), now);
        span.setAttribute(KEYS_EVICTED, (long) evicted.size());
        span.setAttribute(GENERATION, change.generation());
        CacheInvalidated invalidated = new CacheInvalidated(event.tenant(), evicted, change.generation(),
                change.previous(), event.documentId(), event.version(), IndexedAudit.action(event), now,
                event.indexedAt());
        // Announced before the version is reported searchable, so query APIs have it by the time a client hears.
        eviction.announce(invalidated);
        if (searchable.markSearchable(dsl, event, change.generation(), now)) {
            freshness.searchable(event, now);
        }
        context().forward(record.withKey(event.tenant())
                .withValue(new Invalidated(invalidated, IndexedAudit.of(event, traceId(record))))
                .withHeaders(KafkaTraceHeaders.write(new RecordHeaders(record.headers().toArray()),
                        TraceContext.current())));
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
