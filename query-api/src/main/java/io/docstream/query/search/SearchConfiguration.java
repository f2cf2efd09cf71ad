package io.docstream.query.search;

import io.docstream.core.embedding.Embedder;
import io.docstream.core.index.SearchIndex;
import io.docstream.query.cache.QueryCaches;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The search engine; it owns the bounded pool its dense retrievals run on, and embeds queries through the cache. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SearchProperties.class)
class SearchConfiguration {

    @Bean(destroyMethod = "close")
    HybridSearch hybridSearch(Embedder embedder, SearchIndex searchIndex, SearchProperties properties,
            QueryCaches queryCaches) {
        return new HybridSearch(new CachedQueryEmbeddings(embedder, queryCaches), searchIndex, properties);
    }

    @Bean
    SearchMetrics searchMetrics(MeterRegistry meters) {
        return new SearchMetrics(meters);
    }
}
