package io.docstream.query.search;

import io.docstream.platform.Hashing;
import io.docstream.platform.tenancy.ApiKeyPrincipal;
import io.docstream.query.analytics.QueryEvents;
import io.docstream.query.analytics.QueryEventsProperties;
import io.docstream.schemas.events.QueryExecuted;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Turns each answered search into a {@link QueryExecuted} event and hands it to {@link QueryEvents}. */
final class SearchEvents {

    private final QueryEvents events;
    private final QueryEventsProperties properties;
    private final Clock clock;

    SearchEvents(QueryEvents events, QueryEventsProperties properties, Clock clock) {
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    void searched(ApiKeyPrincipal principal, String requestId, SearchPages.Request request,
            SearchPages.Answer answer, long tookNanos) {
        if (events == null) {
            return;
        }
        String tenant = request.tenant();
        SpanContext span = Span.current().getSpanContext();
        events.publish(new QueryExecuted(eventId(), tenant, hash(request.query()),
                properties.storesText(tenant) ? request.query() : null, request.mode().value(),
                request.fusion() == null ? null : request.fusion().value(), request.k(), request.offset(),
                request.filters(), tookNanos / 1_000, answer.layer(),
                answer.page().results().stream().map(SearchResult::id).toList(), answer.degraded(),
                principal.keyId().toString(), requestId, span.isValid() ? span.getTraceId() : null, clock.instant()));
    }

    /**
     * A random (version 4) UUID from the thread's own generator: unique enough for an event id, and free of the
     * shared, synchronised SecureRandom behind {@link UUID#randomUUID()} that every search thread would queue on.
     */
    static UUID eventId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(most, least);
    }

    /** SHA-256 (lower-case hex) of the normalised query: the same query always has the same hash. */
    static String hash(String normalizedQuery) {
        return Hashing.sha256Hex(normalizedQuery);
    }
}
