package io.docstream.query.search;

import io.docstream.embedding.Embedder;
import io.docstream.platform.resilience.RemoteCalls;
import io.docstream.platform.web.ProblemResponses;
import io.docstream.platform.web.ResponseCompression;
import io.docstream.query.analytics.QueryAnalytics;
import io.docstream.query.analytics.QueryEvents;
import io.docstream.query.analytics.QueryEventsProperties;
import io.docstream.query.cache.QueryCaches;
import io.docstream.query.cache.ReadConsistency;
import io.docstream.search.IndexTargets;
import io.docstream.search.SearchIndex;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.jooq.DSLContext;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;
import tools.jackson.databind.json.JsonMapper;

/**
 * The search engine; it owns the bounded pool its dense retrievals run on, embeds queries through the cache,
 * guards the index with a circuit breaker and falls back to PostgreSQL's full-text search.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SearchProperties.class)
class SearchConfiguration {

    @Bean(destroyMethod = "close")
    HybridSearch hybridSearch(Embedder embedder, SearchIndex searchIndex, SearchProperties properties,
            QueryCaches queryCaches, DSLContext dsl, RemoteCalls remoteCalls) {
        return new HybridSearch(new CachedQueryEmbeddings(embedder, queryCaches), searchIndex, properties,
                new FullTextFallback(dsl), remoteCalls.call(RemoteCalls.SEARCH_INDEX, SearchConfiguration::indexFailure));
    }

    /**
     * Every failure of an index read counts against the {@code search-index} breaker (a query the index cannot
     * parse never reaches it: queries are built, not passed through). Its policy is
     * {@code docstream.resilience.search-index.*}; its state is published as {@code resilience4j_circuitbreaker_state}
     * and shown by {@code ./docstream status}.
     */
    static boolean indexFailure(Throwable failure) {
        return true;
    }

    @Bean
    SearchMetrics searchMetrics(MeterRegistry meters) {
        return new SearchMetrics(meters);
    }

    @Bean
    SearchPages searchPages(HybridSearch search, QueryCaches caches, IndexTargets targets, MeterRegistry meters) {
        return new SearchPages(search, caches, targets, meters, Clock.systemUTC());
    }

    /** Answers L1 hits ahead of MVC, after authentication and the rate limit (see {@link CachedSearchFilter}). */
    @Bean
    FilterRegistrationBean<CachedSearchFilter> cachedSearchFilter(SearchPages pages, SearchMetrics metrics,
            SearchEvents events, QueryCaches caches, ReadConsistency consistency, SearchProperties properties,
            JsonMapper mapper, ResponseCompression compression, BeanFactory beanFactory) {
        ProblemResponses problems = new ProblemResponses(
                () -> beanFactory.getBean("handlerExceptionResolver", HandlerExceptionResolver.class));
        FilterRegistrationBean<CachedSearchFilter> registration = new FilterRegistrationBean<>(new CachedSearchFilter(
                pages, new SearchAnswers(mapper, caches.properties().l1MaxEntries()), metrics, events, caches,
                consistency, properties.fusion(), problems, compression));
        registration.addUrlPatterns(CachedSearchFilter.PATH);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 50);
        return registration;
    }

    /** Without {@link QueryEvents} ({@code docstream.query-events.enabled=false}) searches publish nothing. */
    @Bean
    SearchEvents searchEvents(ObjectProvider<QueryEvents> events, QueryEventsProperties properties) {
        return new SearchEvents(events.getIfAvailable(), properties, Clock.systemUTC());
    }

    /** Warms a tenant's hot searches after each invalidation of it that reaches this instance, and after a switch. */
    @Bean(destroyMethod = "close")
    HotSearchWarmer hotSearchWarmer(SearchPages pages, QueryAnalytics analytics, QueryEventsProperties properties,
            QueryCaches caches, IndexTargets targets, MeterRegistry meters) {
        HotSearchWarmer warmer = new HotSearchWarmer(pages, analytics, properties.warm(), Clock.systemUTC(), meters);
        caches.onInvalidated(warmer::invalidated);
        targets.onSwitch(target -> warmer.switched());
        return warmer;
    }
}
