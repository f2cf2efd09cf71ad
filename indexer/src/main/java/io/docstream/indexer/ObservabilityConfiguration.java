package io.docstream.indexer;

import io.docstream.core.embedding.Embedder;
import io.docstream.core.health.DependencyHealthConfiguration;
import io.docstream.core.health.EmbeddingModelHealthIndicator;
import io.docstream.core.health.HealthProperties;
import io.docstream.core.health.SearchIndexHealthIndicator;
import io.docstream.core.index.SearchIndex;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Health of what the indexer depends on: Kafka, PostgreSQL, the search index and the embedding model, all
 * required for readiness (see {@code indexer.yml}).
 */
@Configuration(proxyBeanMethods = false)
@Import(DependencyHealthConfiguration.class)
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
