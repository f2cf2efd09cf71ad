package io.docstream.invalidator.analytics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code docstream.analytics.*}: how the analytics app counts the query events.
 *
 * @param enabled whether this invalidator runs the analytics app (turn it off to run the counting elsewhere, or
 *     nowhere)
 * @param window the length of a counting window
 * @param flushInterval how often the counts so far are written to PostgreSQL
 * @param grace how long after a window ends its counts stay open for late events; later ones are not counted
 * @param retention how long windows are kept in PostgreSQL
 * @param auditQueries whether every search also becomes an audit record ({@code action=search}), written by the
 *        audit log sink straight from the queries topic (read by every invalidator, whether it runs analytics or not), written by the
 *        audit log sink straight from the queries topic (read by every invalidator, whether it runs analytics or not)
 * @param commitInterval how often the analytics app commits its exactly-once transaction
 */
@ConfigurationProperties("docstream.analytics")
public record AnalyticsProperties(@DefaultValue("true") boolean enabled, @DefaultValue("1m") Duration window, @DefaultValue("2s") Duration flushInterval,
        @DefaultValue("1h") Duration grace, @DefaultValue("30d") Duration retention,
        @DefaultValue("true") boolean auditQueries, @DefaultValue("1s") Duration commitInterval) {

    public AnalyticsProperties {
        if (!window.isPositive() || !flushInterval.isPositive() || grace.isNegative() || !retention.isPositive()
                || !commitInterval.isPositive()) {
            throw new IllegalArgumentException("docstream.analytics: window, flush-interval, retention and "
                    + "commit-interval must be positive, grace not negative");
        }
    }
}
