package io.docstream.query.search;

import io.docstream.platform.Hashing;
import io.docstream.platform.RandomIds;
import io.docstream.platform.tenancy.ApiKeyPrincipal;
import io.docstream.query.analytics.QueryEvents;
import io.docstream.query.analytics.QueryEventsProperties;
import io.docstream.schemas.events.QueryExecuted;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.time.Clock;

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
        events.publish(new QueryExecuted(RandomIds.uuid(), tenant, hash(request.query()),
                properties.storesText(tenant) ? request.query() : null, request.mode().value(),
                request.fusion() == null ? null : request.fusion().value(), request.k(), request.offset(),
                request.filters(), tookNanos / 1_000, answer.layer(),
                answer.page().results().stream().map(SearchResult::id).toList(), answer.degraded(),
                principal.keyId().toString(), requestId, span.isValid() ? span.getTraceId() : null, clock.instant()));
    }

    /** SHA-256 (lower-case hex) of the normalised query: the same query always has the same hash. */
    static String hash(String normalizedQuery) {
        return Hashing.sha256Hex(normalizedQuery);
    }
}
