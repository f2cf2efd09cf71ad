package io.docstream.query.search;

import io.docstream.core.embedding.Embedder;
import io.docstream.core.index.SearchIndex;
import io.docstream.query.cache.QueryCaches;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.jooq.DSLContext;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The search engine; it owns the bounded pool its dense retrievals run on, embeds queries through the cache,
 * guards the index with a circuit breaker and falls back to PostgreSQL's full-text search.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SearchProperties.class)
class SearchConfiguration {

    static final String INDEX_BREAKER = "search-index";

    @Bean(destroyMethod = "close")
    HybridSearch hybridSearch(Embedder embedder, SearchIndex searchIndex, SearchProperties properties,
            QueryCaches queryCaches, DSLContext dsl, CircuitBreakerRegistry circuitBreakers) {
        return new HybridSearch(new CachedQueryEmbeddings(embedder, queryCaches), searchIndex, properties,
                new FullTextFallback(dsl), circuitBreakers.circuitBreaker(INDEX_BREAKER));
    }

    /**
     * The search index's breaker: it opens when half of the last 20 calls (at least 10) failed or took over the
     * search timeout, stays open 10 s, then lets 3 trial calls through. Its state is published as
     * {@code resilience4j_circuitbreaker_state} and shown by {@code ./docstream status}.
     */
    @Bean
    CircuitBreakerRegistry circuitBreakers(SearchProperties properties, MeterRegistry meters) {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(50)
                .slowCallDurationThreshold(properties.timeout())
                .slowCallRateThreshold(100)
                .waitDurationInOpenState(Duration.ofSeconds(10))
                .permittedNumberOfCallsInHalfOpenState(3)
                .build());
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
        return registry;
    }

    @Bean
    SearchMetrics searchMetrics(MeterRegistry meters) {
        return new SearchMetrics(meters);
    }
}
