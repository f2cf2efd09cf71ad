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
 */
@ConfigurationProperties("docstream.cache")
public record CacheProperties(
        @DefaultValue("1h") Duration searchTtl,
        @DefaultValue("24h") Duration embeddingTtl,
        @DefaultValue("2h") Duration documentTtl,
        @DefaultValue("30s") Duration negativeTtl,
        @DefaultValue("0.1") double jitter,
        @DefaultValue("10000") long l1MaxEntries,
        @DefaultValue("5s") Duration invalidationGap) {
}
