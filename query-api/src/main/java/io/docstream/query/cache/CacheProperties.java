package io.docstream.query.cache;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code docstream.cache.*}: lifetimes and sizes of the query API's caches.
 *
 * @param searchTtl         how long a search answer is kept (it is unreachable sooner when the tenant's data changes)
 * @param embeddingTtl      how long a query embedding is kept
 * @param documentTtl       how long a document is kept (it is evicted sooner when it changes)
 * @param negativeTtl       how long "no such document" is kept
 * @param jitter            TTLs vary by ± this fraction (0.1 = 10%) so entries written together expire apart
 * @param l1MaxEntries      entries kept in this process per cache
 * @param invalidationGap   when the invalidation stream could not be read for longer, all of L1 is dropped once
 *                          it is read again
 * @param searchInvalidation {@code selective}: a cached search page outlives changes of its tenant that cannot alter
 *                          it (proven against the tenant's change history); {@code generation}: every change of a
 *                          tenant drops all of its cached search pages
 * @param searchMaxAge      a page kept across changes is recomputed once it is this old, bounding the drift of
 *                          corpus statistics (BM25 document frequencies, average length) it does not follow
 * @param changeHistory     changes remembered per tenant in this process to prove pages fresh
 * @param appliedVersions   document versions whose invalidation this process remembers applying (all tenants), so a
 *                          consistency token for one is judged without I/O; older ones are judged from PostgreSQL
 * @param consistencyWait   how long a read carrying a consistency token waits for this instance to apply the
 *                          token's invalidation before it is answered 503 {@code not-yet-consistent}
 */
@ConfigurationProperties("docstream.cache")
public record CacheProperties(
        @DefaultValue("1h") Duration searchTtl,
        @DefaultValue("24h") Duration embeddingTtl,
        @DefaultValue("2h") Duration documentTtl,
        @DefaultValue("30s") Duration negativeTtl,
        @DefaultValue("0.1") double jitter,
        @DefaultValue("10000") long l1MaxEntries,
        @DefaultValue("5s") Duration invalidationGap,
        @DefaultValue("selective") SearchInvalidation searchInvalidation,
        @DefaultValue("60s") Duration searchMaxAge,
        @DefaultValue("10000") int changeHistory,
        @DefaultValue("100000") long appliedVersions,
        @DefaultValue("10s") Duration consistencyWait) {

    /** How a change of a tenant reaches its cached search pages. */
    public enum SearchInvalidation {

        /** Only pages the change can alter give way. */
        SELECTIVE,

        /** Every page of the tenant gives way. */
        GENERATION
    }

    public CacheProperties {
        if (changeHistory < 1 || searchMaxAge.isNegative()) {
            throw new IllegalArgumentException("docstream.cache.change-history must be positive and "
                    + "search-max-age not negative");
        }
        if (appliedVersions < 1 || consistencyWait.isNegative()) {
            throw new IllegalArgumentException("docstream.cache.applied-versions must be positive and "
                    + "consistency-wait not negative");
        }
    }
}
