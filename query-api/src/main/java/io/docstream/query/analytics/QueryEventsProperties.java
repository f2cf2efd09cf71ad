package io.docstream.query.analytics;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code docstream.query-events.*}: the query events every search publishes, and the cache warming they feed.
 *
 * @param enabled whether searches publish {@code QueryExecuted} events at all
 * @param bufferCapacity events waiting to be sent at most; a search finding the buffer full drops its event
 *     (counted) rather than wait
 * @param queryText whether events carry the normalised query text ({@code store}) or its hash only
 *     ({@code hash-only}); {@code tenants.<tenant>.query-text} sets it per tenant
 * @param tenants settings per tenant
 * @param warm re-running a tenant's most asked searches after its cache was invalidated or the index switched
 */
@ConfigurationProperties("docstream.query-events")
public record QueryEventsProperties(@DefaultValue("true") boolean enabled,
        @DefaultValue("10000") int bufferCapacity, @DefaultValue("store") QueryText queryText,
        Map<String, Tenant> tenants, @DefaultValue Warm warm) {

    /** What of a query an event keeps. */
    public enum QueryText {
        STORE, HASH_ONLY
    }

    /** @param queryText this tenant's choice, over the default */
    public record Tenant(QueryText queryText) {
    }

    /**
     * @param enabled whether hot searches are re-run in the background
     * @param top how many of a tenant's most asked request shapes are kept warm
     * @param over the recent span of analytics windows that decides which shapes are hot
     * @param interval the least time between two warmings of one tenant
     */
    public record Warm(@DefaultValue("true") boolean enabled, @DefaultValue("20") int top,
            @DefaultValue("15m") Duration over, @DefaultValue("1s") Duration interval) {
    }

    public QueryEventsProperties {
        tenants = tenants == null ? Map.of() : Map.copyOf(tenants);
        if (bufferCapacity < 1 || warm.top() < 0 || !warm.over().isPositive() || warm.interval().isNegative()) {
            throw new IllegalArgumentException("docstream.query-events: buffer-capacity must be positive, warm.top not "
                    + "negative, warm.over positive");
        }
    }

    /** Whether a tenant's events carry the query text. */
    public boolean storesText(String tenant) {
        Tenant settings = tenants.get(tenant);
        QueryText choice = settings != null && settings.queryText() != null ? settings.queryText() : queryText;
        return choice == QueryText.STORE;
    }
}
