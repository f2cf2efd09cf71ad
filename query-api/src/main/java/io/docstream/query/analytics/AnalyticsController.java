package io.docstream.query.analytics;

import io.docstream.platform.errors.InvalidInputException;
import io.docstream.platform.tenancy.ApiKeyPrincipal;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/admin/analytics}: what the tenant searched, from the analytics app's per-minute counts. Times are
 * ISO-8601 instants; a window counts when it starts within {@code [from, to)}. By default the last 24 hours.
 */
@RestController
class AnalyticsController {

    static final int MAX_LIMIT = 500;
    static final Duration DEFAULT_SPAN = Duration.ofHours(24);
    static final Duration MAX_SPAN = Duration.ofDays(92);

    private final QueryAnalytics analytics;
    private final Clock clock;

    AnalyticsController(QueryAnalytics analytics) {
        this.analytics = analytics;
        this.clock = Clock.systemUTC();
    }

    /** The listing of one kind: {@code top}, {@code no-results} or {@code slow}. */
    record QueryListing(String kind, Instant from, Instant to, List<QueryAnalytics.QueryFigures> queries) {
    }

    /** Every mode's figures over the span. */
    record Summary(Instant from, Instant to, List<QueryAnalytics.ModeFigures> modes) {
    }

    @GetMapping("/api/v1/admin/analytics/queries")
    QueryListing queries(ApiKeyPrincipal principal, @RequestParam(defaultValue = "top") String kind,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(defaultValue = "20") int limit) {
        QueryAnalytics.Kind parsed = kind(kind);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("Parameter 'limit' must be between 1 and " + MAX_LIMIT + ".");
        }
        Span span = span(from, to);
        return new QueryListing(kind, span.from(), span.to(),
                analytics.queries(principal.tenant(), parsed, span.from(), span.to(), limit));
    }

    @GetMapping("/api/v1/admin/analytics/summary")
    Summary summary(ApiKeyPrincipal principal, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to) {
        Span span = span(from, to);
        return new Summary(span.from(), span.to(), analytics.modes(principal.tenant(), span.from(), span.to()));
    }

    private static QueryAnalytics.Kind kind(String kind) {
        return switch (kind) {
            case "top" -> QueryAnalytics.Kind.TOP;
            case "no-results" -> QueryAnalytics.Kind.NO_RESULTS;
            case "slow" -> QueryAnalytics.Kind.SLOW;
            default -> throw new InvalidInputException("Parameter 'kind' must be one of top, no-results, slow.");
        };
    }

    private record Span(Instant from, Instant to) {
    }

    private Span span(String from, String to) {
        Instant end = to == null || to.isEmpty() ? clock.instant() : instant("to", to);
        Instant start = from == null || from.isEmpty() ? end.minus(DEFAULT_SPAN) : instant("from", from);
        if (!start.isBefore(end)) {
            throw new InvalidInputException("Parameter 'from' must be before 'to'.");
        }
        if (Duration.between(start, end).compareTo(MAX_SPAN) > 0) {
            throw new InvalidInputException("The span from 'from' to 'to' may be at most " + MAX_SPAN.toDays()
                    + " days.");
        }
        return new Span(start, end);
    }

    private static Instant instant(String name, String value) {
        if (value.length() > 64 || value.indexOf('\u0000') >= 0) {
            throw new InvalidInputException("Parameter '" + name + "' must be an ISO-8601 instant.");
        }
        try {
            return Instant.parse(value.toUpperCase(Locale.ROOT));
        } catch (DateTimeException e) {
            throw new InvalidInputException("Parameter '" + name + "' must be an ISO-8601 instant such as "
                    + "2026-12-07T10:00:00Z.");
        }
    }
}
