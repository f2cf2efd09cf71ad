package io.docstream.indexer;

import io.docstream.embedding.Embedder;
import io.docstream.embedding.EmbeddingModelHealthIndicator;
import io.docstream.platform.health.HealthProperties;
import io.docstream.search.SearchIndex;
import io.docstream.search.SearchIndexHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health of what the indexer depends on: Kafka, PostgreSQL, the search index and the embedding model, all
 * required for readiness (see {@code indexer.yml}).
 */
@Configuration(proxyBeanMethods = false)
class ObservabilityConfiguration {

    @Bean
    SearchIndexHealthIndicator indexHealthIndicator(SearchIndex searchIndex, HealthProperties properties) {
        return new SearchIndexHealthIndicator(searchIndex, properties.timeout());
    }

    @Bean
    EmbeddingModelHealthIndicator modelHealthIndicator(Embedder embedder, HealthProperties properties) {
        return new EmbeddingModelHealthIndicator(embedder, properties.timeout(), properties.modelCheckInterval());
    }
}
