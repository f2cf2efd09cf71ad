package io.docstream.query.search;

import io.docstream.query.analytics.QueryAnalytics;
import io.docstream.query.analytics.QueryEventsProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a tenant's most asked searches cached through writes: after an invalidation of the tenant, or after the
 * index switched, its hot request shapes (from the analytics app's counts) are asked again in the background,
 * so the next reader finds the page. A tenant is warmed at most once per {@code warm.interval}; warming asks
 * through {@link SearchPages} like a reader but publishes no query event.
 */
final class HotSearchWarmer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HotSearchWarmer.class);

    private final SearchPages pages;
    private final QueryAnalytics analytics;
    private final QueryEventsProperties.Warm settings;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Boolean> scheduled = new ConcurrentHashMap<>();
    private final Counter warmed;
    private final Counter failed;

    HotSearchWarmer(SearchPages pages, QueryAnalytics analytics, QueryEventsProperties.Warm settings, Clock clock,
            MeterRegistry meters) {
        this.pages = pages;
        this.analytics = analytics;
        this.settings = settings;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("cache-warming")
                .daemon(true).factory());
        this.warmed = Counter.builder("docstream.cache.warmed").tag("outcome", "asked")
                .description("Hot searches asked again in the background to keep them cached").register(meters);
        this.failed = Counter.builder("docstream.cache.warmed").tag("outcome", "failed")
                .description("Hot searches asked again in the background to keep them cached").register(meters);
    }

    /** The tenant's cached searches were invalidated: warm its hot ones once the interval allows. */
    void invalidated(String tenant) {
        if (settings.enabled() && settings.top() > 0 && scheduled.putIfAbsent(tenant, Boolean.TRUE) == null) {
            scheduler.schedule(() -> warm(tenant), settings.interval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The index switched targets: every recently active tenant's hot searches are cold now. */
    void switched() {
        if (!settings.enabled()) {
            return;
        }
        scheduler.execute(() -> {
            try {
                analytics.activeTenants(clock.instant().minus(settings.over())).forEach(this::invalidated);
            } catch (RuntimeException e) {
                log.warn("could not list the tenants to warm after an index switch: {}", e.toString());
            }
        });
    }

    private void warm(String tenant) {
        scheduled.remove(tenant);
        Instant since = clock.instant().minus(settings.over());
        List<QueryAnalytics.HotShape> shapes;
        try {
            shapes = analytics.hotShapes(tenant, since, settings.top());
        } catch (RuntimeException e) {
            log.debug("could not read the hot searches of {}: {}", tenant, e.toString());
            return;
        }
        for (QueryAnalytics.HotShape shape : shapes) {
            try {
                SearchMode mode = SearchMode.parse(shape.mode());
                pages.answer(new SearchPages.Request(tenant, SearchRequests.normalizeQuery(shape.query()), mode,
                        shape.fusion() == null ? null : SearchProperties.FusionMethod.parse(shape.fusion()),
                        shape.k(), shape.filters(), 0));
                warmed.increment();
            } catch (RuntimeException e) {
                failed.increment();
                log.debug("warming a hot search of {} failed: {}", tenant, e.toString());
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
