package io.docstream.invalidator.invalidation;

import io.docstream.core.cache.CacheKeys;
import io.docstream.schemas.events.CacheInvalidated;
import io.docstream.schemas.events.DocumentIndexed;
import io.docstream.schemas.events.DocumentKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.jooq.DSLContext;

/**
 * For each indexed (or deleted) document version, in this order: evict it from Redis and move the tenant's
 * search generation; then, in one PostgreSQL transaction, audit it and mark it searchable; then tell every
 * query-api instance (invalidations topic, keyed by tenant) to drop its L1 copies. Marking searchable only
 * after the eviction is what makes the status endpoint's "indexed" a read-your-writes promise. When Redis
 * is down the eviction throws: the stream thread fails, is replaced after a pause and retries from the
 * last commit, and nothing is marked searchable meanwhile.
 */
final class InvalidateCachesProcessor
        extends ContextualProcessor<DocumentKey, DocumentIndexed, String, CacheInvalidated> {

    private static final String TRACEPARENT = "traceparent";

    private final DSLContext dsl;
    private final CacheEviction eviction;
    private final AuditLog auditLog;
    private final SearchableVersions searchable;
    private final Clock clock;

    InvalidateCachesProcessor(DSLContext dsl, CacheEviction eviction, AuditLog auditLog,
            SearchableVersions searchable, Clock clock) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
        this.eviction = Objects.requireNonNull(eviction, "eviction");
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
        this.searchable = Objects.requireNonNull(searchable, "searchable");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void process(Record<DocumentKey, DocumentIndexed> record) {
        DocumentIndexed event = record.value();
        Instant now = clock.instant();
        long generation = eviction.evict(event.tenant(), event.documentId(), now);
        auditLog.ensurePartitionFor(event);
        String traceId = traceId(record);
        dsl.transaction(configuration -> {
            auditLog.recordIndexed(configuration.dsl(), event, traceId);
            searchable.markSearchable(configuration.dsl(), event, now);
        });
        CacheInvalidated invalidated = new CacheInvalidated(event.tenant(),
                List.of(CacheKeys.document(event.tenant(), event.documentId())), generation,
                AuditLog.action(event), now, event.indexedAt());
        context().forward(record.withKey(event.tenant()).withValue(invalidated));
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
